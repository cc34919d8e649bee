"""Problems with the tools' inputs, kept apart from API contract violations.

KitError                  a problem with what the kit was given, never with the API under test
├── SpecError             the OpenAPI document is unreadable or lacks what the tools need
└── DataError             a data file is unreadable or a record breaks the Customer schema

Contract violations (the API under test misbehaves) live in ``contract_tests.failures`` and derive from
``AssertionError``, so pytest reports them as test failures, not as errors.
"""

from __future__ import annotations


class KitError(Exception):
    """A problem with the kit's own inputs (spec, data, configuration), reported without a traceback."""


class SpecError(KitError):
    """The OpenAPI document cannot drive the tools."""


class DataError(KitError):
    """A data file cannot be loaded; the message names the record and the JSON path."""
