"""A store whose customers change while it serves: each write makes a new immutable snapshot, and a query
reads the one snapshot it took first, so it answers from one state whatever is written meanwhile.

A snapshot is a *base* (the mock's store, faulty or not, built once over some customers) and the writes since:
the base positions they hide (removed or changed customers) and an *overlay* of the current versions of the
changed and added ones. A query takes the base's ordered matches (its own engine and caches: the base never
changes) without the hidden positions, and merges the overlay's matches into them by the spec's order. The
overlay is matched by the spec's meaning (``contract_tests.judging.oracle``) with the engine fault's wrong rules where
it has them (a rewritten condition, a wrong test; a wrong order stays the base's), so a faulty churning store
is wrong on every record it has, and its total, pages and links agree. When the overlay grows, the current
customers become a new base (``compact``), built beside the serving; the writes made meanwhile are replayed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import methodcaller
from typing import Any

import numpy as np
import orjson

from contract_tests.judging.oracle import satisfies
from customers_spec.datafile import Dataset
from customers_spec.model import Spec
from customers_spec.terms import Condition
from mockserver.engine.columns import Positions
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.store import CollectionStore
from selftest.churn.merge import Ordered, merged_window, order_values
from selftest.engine import Engine, Record, records_by_position, store_for

Change = Callable[["Snapshot"], "Snapshot"]
# An overlay of 1/COMPACT_SHARE of the customers (within these bounds) is built into a new base: each request
# matches the overlay one customer at a time (a few microseconds each), and a base of 100,000 takes seconds.
COMPACT_SHARE = 100
COMPACT_LEAST, COMPACT_MOST = 64, 1000


@dataclass(frozen=True)
class Base:
    """A store built once, and its customers by position and positions by ``_id``."""

    store: CollectionStore
    records: Sequence[Record]
    positions: Mapping[str, int]

    @classmethod
    def build(cls, spec: Spec, customers: list[Record], objects: list[Record], engine: Engine | None) -> Base:
        store = store_for(engine)(spec, Dataset(customers, objects))
        records = getattr(store, "records", None) or records_by_position(spec, customers)  # a FaultyStore has them
        return cls(store, records, {record["_id"]: position for position, record in enumerate(records)})


@dataclass(frozen=True)
class Entry:
    """An overlay customer: the record, its JSON, and its value on each sortable path (typed, as ``present,
    value`` pairs, so that a missing value sorts lowest), computed once at the write."""

    record: Record
    body: bytes
    order: Mapping[str, tuple[bool, Any]]


@dataclass(frozen=True)
class Snapshot:
    """One state of the customers: the base without its ``hidden`` positions, plus the ``overlay`` (by ``_id``);
    ``writes`` made since the store started."""

    base: Base
    hidden: np.ndarray
    hidden_count: int
    overlay: Mapping[str, Entry]
    writes: int = 0

    @classmethod
    def of(cls, base: Base, writes: int = 0) -> Snapshot:
        return cls(base, np.zeros(len(base.records), dtype=np.bool_), 0, {}, writes)

    def __len__(self) -> int:
        return len(self.base.records) - self.hidden_count + len(self.overlay)

    def record(self, customer_id: str) -> Record | None:
        """The current version of a customer; None when there is none."""
        if customer_id in self.overlay:
            return self.overlay[customer_id].record
        position = self.base.positions.get(customer_id)
        return None if position is None or self.hidden[position] else self.base.records[position]

    def customers(self) -> list[Record]:
        """Every current customer: the base's that are not hidden, then the overlay's."""
        shown = np.flatnonzero(~self.hidden).tolist()
        return [self.base.records[position] for position in shown] + [entry.record for entry in self.overlay.values()]

    def with_entry(self, entry: Entry) -> Snapshot:
        """The state with ``entry`` added, or replacing the customer of its ``_id``."""
        customer_id = entry.record["_id"]
        return self._hiding(customer_id, {**self.overlay, customer_id: entry})

    def without(self, customer_id: str) -> Snapshot:
        """The state with the customer of ``customer_id`` removed."""
        overlay = {key: value for key, value in self.overlay.items() if key != customer_id}
        return self._hiding(customer_id, overlay)

    def _hiding(self, customer_id: str, overlay: dict[str, Entry]) -> Snapshot:
        position = self.base.positions.get(customer_id)
        hidden, count = self.hidden, self.hidden_count
        if position is not None and not hidden[position]:
            hidden = hidden.copy()
            hidden[position] = True
            count += 1
        return Snapshot(self.base, hidden, count, overlay, self.writes + 1)


class OverlayMatcher:
    """Whether an overlay customer meets a query's conditions: the spec's meaning, with an engine fault's
    rewritten conditions and wrong tests applied as the faulty store applies them to its base."""

    def __init__(self, engine: Engine | None, sites: Mapping[str, Sequence[Record]]) -> None:
        self.engine = engine or Engine()
        self.sites = sites  # per customer id: its sites, all a relation filter may look at

    def holding(self, conditions: tuple[Condition, ...]) -> Callable[[Record], bool]:
        engine = self.engine
        if engine.combine is not None:
            conditions = engine.combine(conditions)
        if engine.rewrite is not None:
            conditions = tuple(part for condition in conditions for part in engine.rewrite(condition))
        parts: list[tuple[Condition, list[Callable[[Record], bool]]]] = []
        for condition in conditions:
            tests = [engine.predicate(condition, term) for term in condition.terms] if engine.predicate else []
            wrong = [test for test in tests if test is not None]
            rest = tuple(term for index, term in enumerate(condition.terms) if not tests or tests[index] is None)
            parts.append((Condition(condition.parameter, rest), wrong))
        sites = self.sites

        def holds(record: Record) -> bool:
            objects = sites.get(record["_id"], ())
            return all(satisfies(record, rest, objects) or any(test(record) for test in wrong) for rest, wrong in parts)

        return holds


def answer(snapshot: Snapshot, criteria: Criteria, matcher: OverlayMatcher, paths: Mapping[str, str]) -> Page:
    """One page of ``criteria`` in ``snapshot``: the base's matches merged with the overlay's, then cut."""
    base, keys = snapshot.base, criteria.sort
    kept = base.store.matches(criteria.conditions, keys)
    if snapshot.hidden_count:
        kept = kept[~snapshot.hidden[kept]]
    extra = list(snapshot.overlay.values())
    if criteria.conditions:
        holds = matcher.holding(criteria.conditions)
        extra = [entry for entry in extra if holds(entry.record)]
    for key in reversed(keys):  # stable sorts, the last key first: the first key decides first
        extra.sort(key=lambda entry, path=key.path: entry.order[path], reverse=key.descending)  # type: ignore[misc]
    descending = tuple(key.descending for key in keys)
    chosen = {key.path: paths[key.path] for key in keys}

    def base_place(position: int) -> Ordered:
        values = order_values(base.records[position], chosen)
        return Ordered(tuple(values[key.path] for key in keys), descending)

    def overlay_place(rank: int) -> Ordered:
        return Ordered(tuple(extra[rank].order[key.path] for key in keys), descending)

    total = len(kept) + len(extra)
    start, stop = criteria.offset, min(criteria.offset + criteria.limit, total)
    ordered = matcher.engine.reorder is None
    window = merged_window(kept, len(extra), overlay_place, start, stop, base_place, ordered=ordered)
    pieces = [piece if isinstance(piece, np.ndarray) else extra[piece].body for piece in window]
    return Page(total=total, count=max(0, stop - start), body=_joined(base.store, pieces))


def _joined(store: CollectionStore, pieces: list[Positions | bytes]) -> bytes:
    """The window as one JSON array: the base's runs sliced out of its serialized bodies, the overlay's as is."""
    bodies = store._bodies  # the base store's buffer of serialized customers, by position
    if len(pieces) == 1 and not isinstance(pieces[0], bytes):
        return bodies.array(pieces[0])
    parts = [piece if isinstance(piece, bytes) else bodies.array(piece)[1:-1] for piece in pieces]
    return b"[" + b",".join(part for part in parts if part) + b"]"


class ChurningStore:
    """The customers of a dataset as others change them: ``put`` and ``remove`` make a new snapshot, which every
    query after them reads whole; answers as the mock's store (with ``engine``'s fault) would on that state."""

    def __init__(self, spec: Spec, dataset: Dataset, *, engine: Engine | None = None, compact_after: int = 0) -> None:
        self.spec = spec
        self.engine = engine
        self.objects = dataset.objects
        sites: dict[str, list[Record]] = {}
        for site in dataset.objects:
            sites.setdefault(site.get("customerId"), []).append(site)  # type: ignore[arg-type]
        self.matcher = OverlayMatcher(engine, sites)
        self.compact_after = compact_after or min(
            max(COMPACT_LEAST, len(dataset.customers) // COMPACT_SHARE), COMPACT_MOST
        )
        types = spec.field_types
        self._sortable = {path: types.get(path, "string") for path in (*spec.sort.fields, spec.sort.tie_breaker.path)}
        self._state = Snapshot.of(Base.build(spec, dataset.customers, dataset.objects, engine))
        self._lock = threading.Lock()  # writes, and the swap of a compacted base
        self._replayed: list[Change] | None = None  # the writes made while a compaction builds
        self.compactions = 0

    def __len__(self) -> int:
        return len(self._state)

    def snapshot(self) -> Snapshot:
        """The current state, which no later write changes."""
        return self._state

    def query(self, criteria: Criteria, *, at: Snapshot | None = None) -> Page:
        """One page, from the one snapshot taken here (or from ``at``, an earlier one)."""
        if criteria.limit < 0 or criteria.offset < 0:
            raise ValueError(f"limit and offset must not be negative: {criteria.limit}, {criteria.offset}")
        return answer(self._state if at is None else at, criteria, self.matcher, self._sortable)

    def put(self, record: Record) -> None:
        """Add ``record``, or replace the customer of its ``_id``."""
        entry = Entry(record, orjson.dumps(record), order_values(record, self._sortable))
        self._write(methodcaller("with_entry", entry))

    def remove(self, customer_id: str) -> None:
        self._write(methodcaller("without", customer_id))

    def _write(self, change: Change) -> None:
        with self._lock:
            self._state = change(self._state)
            if self._replayed is not None:
                self._replayed.append(change)

    def compact_if_due(self) -> threading.Thread | None:
        """A compaction started in a thread of its own once the overlay has grown (None: not due, or running)."""
        if len(self._state.overlay) < self.compact_after or self._replayed is not None:
            return None
        thread = threading.Thread(target=self.compact, name="churn-compaction", daemon=True)
        thread.start()
        return thread

    def compact(self) -> None:
        """Build the current customers into a new base (the writes go on meanwhile), then swap it in with the
        writes made during the build replayed on it: the same customers, answered at a lower cost (the same
        answers, but where an engine fault reorders: the base's wrong order then covers these customers too)."""
        with self._lock:
            if self._replayed is not None:
                return  # one compaction at a time
            taken, self._replayed = self._state, []
        try:
            base = Base.build(self.spec, taken.customers(), self.objects, self.engine)
        except BaseException:
            with self._lock:
                self._replayed = None
            raise
        with self._lock:
            state = Snapshot.of(base, taken.writes)
            for change in self._replayed:
                state = change(state)
            self._state, self._replayed = state, None
            self.compactions += 1
