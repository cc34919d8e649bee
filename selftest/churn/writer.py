"""Writes to a churning store, as other people and jobs write to a shared staging: adds, removes, renames and
status changes, in a random mix, at a steady rate; or (``mix="invisible"``) the writes a cheap sign of change
cannot see: renames and status changes, and an add with a remove past the first page that keep the total.

A seed gives the same sequence of writes whatever the timing: the writer draws every choice from its own
random source, numbers its new customers itself, and dates each write by a logical clock (one second per write,
after the generated data's last modification), never by the wall clock. Its pace is an absolute schedule, so
a slow write does not slow the rate; after a stall it catches up by at most ``MAX_LAG_S`` of writes.
"""

from __future__ import annotations

import copy
import random
import threading
import time
from collections.abc import Callable, Iterator, MutableSequence, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from customers_spec.model import Spec
from customers_spec.values import get_path
from mockserver.data.customers import FIRST_NUMBER, MODIFIED_END, STATUS_WEIGHTS
from mockserver.data.draw import timestamp
from mockserver.data.generate import generate_dataset
from selftest.churn.store import ChurningStore
from selftest.engine import Record

KINDS = ("add", "remove", "rename", "status", "swap")
MIXES = {
    "visible": ("add", "remove", "rename", "status"),  # anywhere: at 1,000 customers the sign sees nearly all
    # writes the sign of change cannot see (issue 23): renames and status changes anywhere, and a customer added
    # past the first 1,000 (the default order is by number, and a new one has the next) with another added one
    # removed in the same write, so that the total stays (once ``TAIL`` added ones are there)
    "invisible": ("rename", "status", "swap"),
}
TAIL = 3  # added customers an invisible mix keeps past the first page
FIRST_MOMENT = MODIFIED_END + 86_400  # the logical clock's first second: a day after the last generated change
STATUSES = range(len(STATUS_WEIGHTS))  # the status.status values the generator draws
POOL_SIZE = 1000  # generated customers new ones are cloned from, and new names drawn from
MAX_LAG_S = 1.0


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


class WriteCounts:
    """A writer's counts per kind, whether it runs, and its start and stop instants (``time.monotonic``, one
    clock for every process), in ``cells``: a list, or shared memory that the parent of a forked server reads."""

    SLOTS = len(KINDS) + 3
    STATE, STARTED, STOPPED = len(KINDS), len(KINDS) + 1, len(KINDS) + 2
    NEW, RUNNING, ENDED = 0.0, 1.0, 2.0

    def __init__(self, cells: MutableSequence[float] | None = None) -> None:
        self.cells = cells if cells is not None else [0.0] * self.SLOTS

    def add(self, kind: str) -> None:
        self.cells[KINDS.index(kind)] += 1

    def start(self, at: float) -> None:
        self.cells[self.STARTED], self.cells[self.STATE] = at, self.RUNNING

    def stop(self, at: float) -> None:
        if self.cells[self.STATE] == self.RUNNING:
            self.cells[self.STOPPED], self.cells[self.STATE] = at, self.ENDED

    def stats(self, now: float | None = None) -> WriteStats:
        """The counts so far; the seconds run until the stop, or until ``now`` while running."""
        state, started = self.cells[self.STATE], self.cells[self.STARTED]
        if state == self.NEW:
            seconds = 0.0
        elif state == self.ENDED:
            seconds = self.cells[self.STOPPED] - started
        else:
            seconds = (now if now is not None else time.monotonic()) - started
        return WriteStats({kind: int(self.cells[index]) for index, kind in enumerate(KINDS)}, seconds)


class FreshCustomers:
    """New customers as an office adds them: a generated customer cloned, with a fresh ``_id``, the next
    ``number``, every date it has set to the write's instant, and invoice recipients among the current customers."""

    def __init__(self, spec: Spec, customers: Sequence[Record], seed: int, pool_size: int = POOL_SIZE) -> None:
        self.pool = generate_dataset(pool_size, random.Random(f"churn-pool-{seed}").getrandbits(31)).customers
        self.dates = [path for path, field_type in spec.field_types.items() if field_type == "date"]
        self.number = max((record["number"] for record in customers), default=FIRST_NUMBER - 1) + 1
        self.taken = {record["_id"] for record in customers}
        self.serial = random.Random(f"churn-ids-{seed}").getrandbits(40) << 24

    def customer(self, draw: random.Random, moment: int, others: Sequence[str]) -> Record:
        record = copy.deepcopy(self.pool[draw.randrange(len(self.pool))])
        record["_id"] = self._fresh_id(moment)
        record["number"], self.number = self.number, self.number + 1
        instant = timestamp(moment, draw.randrange(1000))
        for path in self.dates:
            if get_path(record, path) is not None:
                *parents, last = path.split(".")
                node = record
                for step in parents:
                    node = node[step]
                node[last] = instant
        if record.get("invoiceRecipientId") is not None:
            record["invoiceRecipientId"] = draw.choice(others) if others else None
        copies = (draw.choice(others) for _ in record["invoiceCCRecipientIds"]) if others else ()
        record["invoiceCCRecipientIds"] = list(dict.fromkeys(copies))
        return record

    def name(self, draw: random.Random, old: str) -> str:
        """Another customer's name from the pool, never ``old``."""
        for _ in range(8):
            name = self.pool[draw.randrange(len(self.pool))]["name"]
            if name != old:
                return name
        return f"{old} (neu)"

    def _fresh_id(self, moment: int) -> str:
        """An ObjectId of the write's instant that no customer has had."""
        while True:
            self.serial += 1
            customer_id = f"{moment:08x}{self.serial:016x}"
            if customer_id not in self.taken:
                self.taken.add(customer_id)
                return customer_id


class Writer:
    """Writes to ``store`` at ``rate`` per second (0: none) in a thread of its own, from ``seed``."""

    def __init__(
        self,
        store: ChurningStore,
        *,
        rate: float,
        seed: int,
        pool_size: int = POOL_SIZE,
        clock: Callable[[], float] = time.monotonic,
        mix: str = "visible",
    ) -> None:
        if rate < 0:
            raise ValueError(f"rate must be at least 0, got {rate}")
        if mix not in MIXES:
            raise ValueError(f"mix must be one of {', '.join(MIXES)}, got {mix!r}")
        self.store, self.rate, self.clock, self.kinds = store, rate, clock, MIXES[mix]
        self.tail: list[str] = []  # the customers an invisible mix added, oldest first
        self.draw = random.Random(seed)
        customers = store.snapshot().customers()  # in position order: the same order for the same data
        self.fresh = FreshCustomers(store.spec, customers, seed, pool_size)
        self.ids = [record["_id"] for record in customers]
        self._places = {customer_id: place for place, customer_id in enumerate(self.ids)}
        self.written = 0
        self.counts = WriteCounts()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []  # the writing thread, and compactions it started

    def write(self) -> str:
        """One write now, of a kind drawn at random (an add when no customer is left); its kind."""
        kind = self.kinds[self.draw.randrange(len(self.kinds))] if self.ids else "add"
        moment = FIRST_MOMENT + self.written
        if kind in ("add", "swap"):
            record = self.fresh.customer(self.draw, moment, self.ids)
            swapped = kind == "swap" and len(self.tail) >= TAIL
            removed = self.tail.pop(self.draw.randrange(len(self.tail))) if swapped else None
            self.store.put(record, removing=removed)
            if removed is not None:
                self._forget(removed)
            self._places[record["_id"]] = len(self.ids)
            self.ids.append(record["_id"])
            if kind == "swap":
                self.tail.append(record["_id"])
        else:
            customer_id = self.ids[self.draw.randrange(len(self.ids))]
            if kind == "remove":
                self.store.remove(customer_id)
                self._forget(customer_id)
            else:
                self.store.put(self._changed(kind, customer_id, moment))
        self.written += 1
        self.counts.add(kind)
        compaction = self.store.compact_if_due()
        if compaction is not None:
            self._threads.append(compaction)
        return kind

    def _changed(self, kind: str, customer_id: str, moment: int) -> Record:
        record = self.store.snapshot().record(customer_id)
        assert record is not None, f"{customer_id} is not in the store"  # only this writer removes customers
        if kind == "rename":
            return {**record, "name": self.fresh.name(self.draw, record["name"])}
        status = record["status"]
        others = [value for value in STATUSES if value != status["status"]]
        instant = timestamp(moment, self.draw.randrange(1000))
        return {**record, "status": {**status, "status": self.draw.choice(others), "lastModifiedAt": instant}}

    def _forget(self, customer_id: str) -> None:
        """Drop an id from ``ids`` in constant time: the last id takes its place."""
        place = self._places.pop(customer_id)
        last = self.ids.pop()
        if last != customer_id:
            self.ids[place] = last
            self._places[last] = place

    def run(self, wait: Callable[[float], bool] | None = None) -> None:
        """Write on schedule until ``wait(seconds)`` (by default: until stopped) returns True."""
        wait = wait or self._stopping.wait
        period = 1 / self.rate
        due = self.clock()
        self.counts.start(due)
        while not wait(max(0.0, due - self.clock())):
            self.write()
            due = max(due + period, self.clock() - MAX_LAG_S)

    def start(self) -> None:
        """Start writing in a thread (at rate 0 only the clock starts: a store that stands still)."""
        self._stopping.clear()
        if self.rate == 0:
            self.counts.start(self.clock())
            return
        thread = threading.Thread(target=self.run, name="churn-writer", daemon=True)
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        """Stop writing, and wait for the writes and compactions under way."""
        self._stopping.set()
        for thread in self._threads:
            thread.join()
        self._threads.clear()
        self.counts.stop(self.clock())

    @contextmanager
    def running(self) -> Iterator[Writer]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def stats(self) -> WriteStats:
        return self.counts.stats(self.clock())
