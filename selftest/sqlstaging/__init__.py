"""A second implementation of the spec, apart from the mock: a small SQL staging over SQLite (standard library),
written from the spec's descriptions and ``x-`` extensions alone, never from the mock's engine.

Its tables are laid out from the field catalogue (``tables``), a request is read from the parameter list
(``params``) and compiled to SQL by a ``Reading`` (``query``, ``readings``: the correct one and the faults, each
one misreading put in the SQL), answered with its headers (``app``, ``links``) after a staging's latency, while
another user writes (``writer``); ``server`` serves it on a free loopback port.
"""

from __future__ import annotations

from selftest.sqlstaging.readings import CORRECT, FAULTS, Reading, SqlFault
from selftest.sqlstaging.server import STAGING_LATENCY_MS, Staging, StagingServer, sql_staging, staging, staging_server

__all__ = [
    "CORRECT",
    "FAULTS",
    "STAGING_LATENCY_MS",
    "Reading",
    "SqlFault",
    "Staging",
    "StagingServer",
    "sql_staging",
    "staging",
    "staging_server",
]
