"""A churning self-test: the mock while a writer adds, removes, renames and changes the status of customers,
as others do on a shared staging. Each request still reads one consistent state (``store``), the writes are
seeded and paced (``writer``), and the app composes with the faults of ``selftest.faults`` (``app``)."""

from __future__ import annotations

from selftest.churn.app import ChurningApp, ChurningServer, churning_app, churning_server
from selftest.churn.store import ChurningStore, Snapshot
from selftest.churn.writer import KINDS, Writer, WriteStats

__all__ = [
    "KINDS",
    "ChurningApp",
    "ChurningServer",
    "ChurningStore",
    "Snapshot",
    "WriteStats",
    "Writer",
    "churning_app",
    "churning_server",
]
