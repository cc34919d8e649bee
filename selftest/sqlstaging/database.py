"""The staging's SQLite database: a file built once from a dataset, then read and written by many connections.

The file is in WAL mode, as a served SQLite database is: a reader is never blocked by the writer, and each read
transaction sees one committed state, so a page and its total are counted in the same state whatever is
written meanwhile. Each thread has a connection of its own (``Connections``), opened in the process that uses
it: the file is built before the server forks, its connections are opened after.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from customers_spec.datafile import Dataset
from selftest.sqlstaging.readings import Sql
from selftest.sqlstaging.tables import Layout, Record, bodies_of, fill

BUSY_TIMEOUT_S = 30.0


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly), waiting on a lock, not failing."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")  # a test database: no durability needed, writes stay cheap
    return connection


def build(path: Path, layout: Layout, dataset: Dataset, *, seed: int = 0) -> None:
    """The database at ``path`` with ``dataset``'s customers, inserted in a shuffled order (``seed``): a table's
    physical order is its history's, never the spec's, so nothing may lean on it."""
    customers: list[Record] = list(dataset.customers)
    random.Random(f"sqlstaging-{seed}").shuffle(customers)
    # A collection the spec relates customers to is the dataset's list of that name (``objects``).
    related: Mapping[str, Sequence[Record]] = {name: getattr(dataset, name, []) for name in layout.relations}
    connection = connect(path)
    try:
        fill(connection, layout, customers, related)
    finally:
        connection.close()


class Connections:
    """One connection per thread to the database at ``path``, opened on first use in that thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = connect(self.path)
        return connection

    def answer(self, total: Sql, page: Sql) -> tuple[int, list[str]]:
        """The total and the JSON of the page's customers (``page`` selects their ids, in order), read in one
        transaction: one state of the data."""
        connection = self.get()
        connection.execute("BEGIN")
        try:
            (count,) = connection.execute(*total).fetchone()
            ids = [customer_id for (customer_id,) in connection.execute(*page)]
            bodies = dict(connection.execute(bodies_of(len(ids)), ids).fetchall()) if ids else {}
        finally:
            connection.execute("COMMIT")
        return int(count), [bodies[customer_id] for customer_id in ids]
