"""The write log every worker process shares: SQLite in WAL mode (standard library), made for concurrent
processes, so a write committed by one worker is read by the next request in any other.

Each write appends rows ``(seq, tenant, collection, id, body)`` (``body`` NULL: deleted); a tenant's row in
``tenants`` holds its ``version`` (the seq of its last write), which a worker compares, once per request, with
the version its stores were built at, and its ``epoch`` (the seq of its first write since the last reset), so a
reset is never mistaken for a few more writes. Writes take the database's write lock (``BEGIN IMMEDIATE``):
two workers never hand out the same number. A connection is opened per process and thread, after the fork.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from customers_spec.errors import ConfigError

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS writes (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL,"
    " collection TEXT NOT NULL, id TEXT NOT NULL, body BLOB)",
    "CREATE INDEX IF NOT EXISTS writes_by_tenant ON writes (tenant, seq)",
    "CREATE TABLE IF NOT EXISTS tenants (tenant TEXT PRIMARY KEY, epoch INTEGER NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
Mark = tuple[int, int]  # (epoch, version)
Entry = tuple[str, str, bytes | None]  # (collection, id, body or None for a delete)
Row = tuple[int, str, str, bytes | None]  # (seq, collection, id, body)


class Journal:
    """The write log in the SQLite file at ``path`` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        try:
            self._connection()
            self.close()
        except sqlite3.Error as exc:
            raise ConfigError(f"{path}: cannot be used as the mock's state file: {exc}") from exc

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():  # never share one across a fork
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives the process, not the power
            for statement in SCHEMA:
                connection.execute(statement)
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    def close(self) -> None:
        """Close this thread's connection (the master's, before the workers fork: none is inherited)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def mark(self, tenant: str) -> Mark | None:
        """The tenant's (epoch, version), or None when it has no write since its last reset: the one read a
        request makes."""
        row = self._connection().execute("SELECT epoch, version FROM tenants WHERE tenant = ?", (tenant,)).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def since(self, tenant: str, seq: int) -> list[Row]:
        """The tenant's writes after ``seq``, in order."""
        query = "SELECT seq, collection, id, body FROM writes WHERE tenant = ? AND seq > ? ORDER BY seq"
        return [(int(a), str(b), str(c), d) for a, b, c, d in self._connection().execute(query, (tenant, seq))]

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The database's write lock, held for the block: committed at its end, rolled back on an exception."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def append(self, connection: sqlite3.Connection, tenant: str, entries: Sequence[Entry]) -> Mark:
        """Append ``entries`` for the tenant (inside ``locked``); its new mark."""
        seq = 0
        for collection, record_id, body in entries:
            cursor = connection.execute(
                "INSERT INTO writes (tenant, collection, id, body) VALUES (?, ?, ?, ?)",
                (tenant, collection, record_id, body),
            )
            seq = int(cursor.lastrowid or 0)
        connection.execute(
            "INSERT INTO tenants (tenant, epoch, version) VALUES (?, ?, ?)"
            " ON CONFLICT (tenant) DO UPDATE SET version = excluded.version",
            (tenant, seq, seq),
        )
        row = connection.execute("SELECT epoch, version FROM tenants WHERE tenant = ?", (tenant,)).fetchone()
        return int(row[0]), int(row[1])

    def reset(self, tenant: str | None) -> int:
        """Forget the writes of ``tenant`` (None: of every tenant); how many there were."""
        with self.locked() as connection:
            where, values = ("", ()) if tenant is None else (" WHERE tenant = ?", (tenant,))
            count = int(connection.execute(f"SELECT count(*) FROM writes{where}", values).fetchone()[0])
            connection.execute(f"DELETE FROM writes{where}", values)
            connection.execute(f"DELETE FROM tenants{where}", values)
        return count

    def bind_dataset(self, fingerprint: str) -> None:
        """Record which start dataset the writes were made over; a state file kept from another is refused."""
        with self.locked() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'dataset'").fetchone()
            if row is None:
                connection.execute("INSERT INTO meta (key, value) VALUES ('dataset', ?)", (fingerprint,))
            elif row[0] != fingerprint and connection.execute("SELECT 1 FROM writes LIMIT 1").fetchone():
                raise ConfigError(
                    f"{self.path}: the state file holds writes made over another dataset ({row[0]}; now"
                    f" {fingerprint}): give another --state file, or delete this one"
                )
            else:
                connection.execute("UPDATE meta SET value = ? WHERE key = 'dataset'", (fingerprint,))
