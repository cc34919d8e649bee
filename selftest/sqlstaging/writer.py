"""Another user writing to the staging's database while the kit reads it: customers added, removed, renamed and
status changed, anywhere in the data, and a customer replaced by a new one in one transaction (the total stays
as it was, so a sign of change built on the total does not see it), at a steady rate.

New customers are cloned from generated ones (``fresh``). As ``selftest.churn.writer`` does for the mock, a
seed gives the same sequence of writes whatever the timing, writes are dated by a logical clock, and the pace
is an absolute schedule. Each write is one SQL transaction, so a reader sees it whole or not at all.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, MutableSequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from customers_spec.model import Spec
from mockserver.data.draw import timestamp
from selftest.sqlstaging.database import connect
from selftest.sqlstaging.fresh import FIRST_MOMENT, STATUSES, Fresh
from selftest.sqlstaging.tables import (
    BODIES,
    BODY,
    KEY,
    Layout,
    Record,
    related_column,
    relation_table,
    value_column,
)

KINDS = ("add", "remove", "rename", "status", "replace")
MAX_LAG_S = 1.0  # after a stall, the writer catches up by at most this many seconds of writes


@dataclass(frozen=True)
class WriteStats:
    """What a writer did: writes per kind, over how many seconds, and the rate that makes."""

    by_kind: dict[str, int]
    seconds: float

    @property
    def writes(self) -> int:
        return sum(self.by_kind.values())

    @property
    def per_second(self) -> float:
        return self.writes / self.seconds if self.seconds > 0 else 0.0


class Counts:
    """Writes per kind and the writer's start and stop instants (``time.monotonic``) in ``cells``: a list, or
    shared memory a forked server's parent reads."""

    SLOTS = len(KINDS) + 2
    STARTED, STOPPED = len(KINDS), len(KINDS) + 1

    def __init__(self, cells: MutableSequence[float] | None = None) -> None:
        self.cells = cells if cells is not None else [0.0] * self.SLOTS

    def add(self, kind: str) -> None:
        self.cells[KINDS.index(kind)] += 1

    def stats(self, now: float | None = None) -> WriteStats:
        started, stopped = self.cells[self.STARTED], self.cells[self.STOPPED]
        end = stopped or (now if now is not None else time.monotonic())
        seconds = end - started if started else 0.0
        return WriteStats({kind: int(self.cells[index]) for index, kind in enumerate(KINDS)}, seconds)


class SqlWriter:
    """Writes to the database at ``path`` ``rate`` times a second (0: never) from ``seed``, in a thread."""

    def __init__(self, spec: Spec, path: Path, *, rate: float, seed: int, clock: Callable[[], float] = time.monotonic):
        if rate < 0:
            raise ValueError(f"rate must be at least 0, got {rate}")
        self.spec, self.path, self.rate, self.seed, self.clock = spec, path, rate, seed, clock
        self.layout = Layout.of(spec)
        self.counts = Counts()
        # Per related collection, the column naming a record's customer (a relation's ``select``).
        relations = [clause.via for rule in spec.filters.values() for clause in rule.clauses if clause.via]
        self.owners = {via.collection: related_column(via.select) for via in relations}
        self.written = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: sqlite3.Connection | None = None
        self._ready = False

    def _prepare(self) -> None:
        """The connection, the current ids and the new customers' pool: read when writing starts."""
        self._connection = connect(self.path)
        rows = self._connection.execute(f"SELECT {BODY} FROM {BODIES} ORDER BY {value_column(KEY)}").fetchall()
        customers = [orjson.loads(body) for (body,) in rows]
        self.draw = random.Random(self.seed)
        self.fresh = Fresh(self.spec, customers, self.seed)
        self.ids = [record[KEY] for record in customers]
        self._ready = True

    def write(self) -> str:
        """One write now, of a kind drawn at random (an add when no customer is left); its kind."""
        if not self._ready:
            self._prepare()
        assert self._connection is not None
        kind = KINDS[self.draw.randrange(len(KINDS))] if self.ids else "add"
        moment = FIRST_MOMENT + self.written
        with self._connection as connection:
            connection.execute("BEGIN IMMEDIATE")
            if kind in ("remove", "replace"):
                self._remove(connection, self.ids.pop(self.draw.randrange(len(self.ids))))
            if kind in ("add", "replace"):
                record = self.fresh.customer(self.draw, moment)
                self.layout.put(connection, record)
                self.ids.append(record[KEY])
            if kind in ("rename", "status"):
                customer_id = self.ids[self.draw.randrange(len(self.ids))]
                (body,) = connection.execute(self._by_id, (customer_id,)).fetchone()
                changed = self._changed(kind, orjson.loads(body), moment)
                self.layout.put(connection, changed)
        self.written += 1
        self.counts.add(kind)
        return kind

    @property
    def _by_id(self) -> str:
        return f"SELECT {BODY} FROM {BODIES} WHERE {value_column(KEY)} = ?"

    def _remove(self, connection: sqlite3.Connection, customer_id: str) -> None:
        """The customer and the related records it owns (its sites), as a delete that cascades."""
        self.layout.remove(connection, customer_id)
        for collection, owner in self.owners.items():
            connection.execute(f"DELETE FROM {relation_table(collection)} WHERE {owner} = ?", (customer_id,))

    def _changed(self, kind: str, record: Record, moment: int) -> Record:
        if kind == "rename":
            return {**record, "name": self.fresh.name(self.draw, record["name"])}
        status = record["status"]
        others = [value for value in STATUSES if value != status["status"]]
        instant = timestamp(moment, self.draw.randrange(1000))
        return {**record, "status": {**status, "status": self.draw.choice(others), "lastModifiedAt": instant}}

    def run(self) -> None:
        """Write on schedule until stopped."""
        period = 1 / self.rate
        due = self.clock()
        while not self._stopping.wait(max(0.0, due - self.clock())):
            self.write()
            due = max(due + period, self.clock() - MAX_LAG_S)

    def start(self) -> None:
        """Start the clock and, at a rate above 0, the writing thread."""
        self._stopping.clear()
        self.counts.cells[Counts.STARTED] = self.clock()
        if self.rate > 0:
            self._thread = threading.Thread(target=self.run, name="sqlstaging-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if not self.counts.cells[Counts.STOPPED]:
            self.counts.cells[Counts.STOPPED] = self.clock()

    def stats(self) -> WriteStats:
        return self.counts.stats(self.clock())
