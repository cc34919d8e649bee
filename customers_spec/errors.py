"""Problems with the tools' inputs, kept apart from API contract violations. The tree:

KitError                  a problem with what the tools were given, never with the API under test
├── SpecError             the OpenAPI document is unreadable or lacks what the tools need (message starts
│                         with the JSON pointer of the place, where there is one)
├── DataError             a data file is unreadable or a record breaks the Customer schema
├── ConfigError           settings that contradict each other or are out of range (also a ValueError)
├── StartupError          a server (the mock, the proxy) cannot listen where it was asked to
├── Unreachable           the server under test could not be asked (refused, timed out, retry budget spent)
└── FollowUpRefused       a check tried to send a request through the proxy, which only watches traffic

The command lines catch ``KitError`` alone and print its message as one line (exit 2); anything else is a
bug and keeps its traceback. An error translated from a lower-level one keeps it as ``__cause__`` for the
developer; only control flow (a 400's reason, an exit) drops it.

Contract violations (the API under test misbehaves) live in ``contract_tests.judging.failures`` and derive from
``AssertionError``, so pytest reports them as test failures, not as errors.
"""

from __future__ import annotations


class KitError(Exception):
    """A problem with the kit's own inputs (spec, data, configuration), reported without a traceback."""


class SpecError(KitError):
    """The OpenAPI document cannot drive the tools."""


class DataError(KitError):
    """A data file cannot be loaded; the message names the record and the JSON path."""


class ConfigError(KitError, ValueError):
    """The settings cannot be served as given; the message names the option."""


class StartupError(KitError):
    """The server cannot start (e.g. the port is taken); reported as one line."""


class Unreachable(KitError):
    """The server could not be asked (connection refused, timeout): nothing could be tested."""


class FollowUpRefused(KitError):
    """A check tried to send a request through the proxy's context: the proxy only watches traffic."""
