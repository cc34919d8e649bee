"""Each worker's view of the write log, per tenant: the start dataset's stores while a tenant has written nothing
(one read of the log's mark per request: the fast path), else the tenant's records (the start dataset's, decoded
once from the stores' bytes, with its writes laid over them) and stores rebuilt from them when the log moved.

Rebuilding is the simplest correct way to keep every list, filter, sort, total, link and item consistent with a
write: a store is the presorted arrays of the engine, built by ``mockserver.startup`` exactly as at start-up. It
costs what building the written collection's store costs (see ``bench/bench_writes.py``), paid once per write by
the next request in each worker, not by the write. Only the stores of a written collection, or of one whose
filters read it (a relation), are rebuilt.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from customers_spec.datafile import TOP_LEVEL_KEYS, Dataset
from customers_spec.model import Spec
from mockserver.engine.cache import LruCache
from mockserver.engine.store import CollectionStore
from mockserver.startup.chunks import related_paths
from mockserver.startup.storing import store_of_dataset
from mockserver.state.journal import Entry, Journal, Mark, Row
from mockserver.state.records import Record, Uniques

TENANTS_KEPT = 16  # per worker: each tenant that wrote holds its records and stores; others are rebuilt on demand
Stores = Mapping[str, CollectionStore]
Change = Callable[["TenantView"], Sequence[Entry]]


@dataclass
class TenantView:
    """One tenant's records (by collection, then id) and stores, and the log seq each reflects."""

    epoch: int
    records: dict[str, dict[str, Record]]
    stores: dict[str, CollectionStore]
    records_seq: int = 0
    stores_seq: int = 0
    uniques: dict[str, Uniques] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # collections written since the stores were built
    lock: threading.Lock = field(default_factory=threading.Lock)


class State:
    """The stores a request of a tenant answers from, and the writes that change them."""

    def __init__(
        self,
        journal: Journal,
        specs: Mapping[str, Spec],
        base: Stores,
        unique_rules: Mapping[str, tuple[tuple[str, str], ...]],
    ) -> None:
        self.journal = journal
        self.specs = dict(specs)
        self.base = dict(base)
        self.unique_rules = dict(unique_rules)  # per collection
        self.id_fields = {spec.collection.name: spec.collection.id_field for spec in specs.values()}
        self.reads = {key: {spec.collection.name, *related_paths(spec)} for key, spec in specs.items()}
        self._views: LruCache[TenantView] = LruCache(TENANTS_KEPT)
        self._making = threading.Lock()
        self._start_cache: tuple[dict[str, dict[str, Record]], dict[str, Uniques]] | None = None

    def stores(self, tenant: str) -> Stores:
        """The stores as the tenant's latest write left them (the start dataset's while it has none)."""
        mark = self.journal.mark(tenant)
        if mark is None:
            return self.base
        view = self._view(tenant, mark)
        if view.stores_seq != mark[1]:
            with view.lock:
                self._catch_up(tenant, view, mark[1])
        return view.stores

    def write(self, tenant: str, change: Change) -> Sequence[Entry]:
        """Apply ``change`` (which reads the tenant's current records and returns the entries to log; it raises
        to refuse) under the log's write lock, so that two workers never decide over stale records."""
        with self.journal.locked() as connection:
            mark = self.journal.mark(tenant) or (0, 0)
            view = self._view(tenant, mark)
            with view.lock:
                self._catch_up(tenant, view, mark[1], stores=False)
                entries = change(view)
                if entries:
                    new_mark = self.journal.append(connection, tenant, entries)
                    if new_mark[0] != view.epoch:  # the tenant's first write since a reset
                        view.epoch = new_mark[0]
                    self._apply(view, [(new_mark[1], *entry) for entry in entries])
        return entries

    def reset(self, tenant: str | None) -> int:
        """Back to the start dataset for ``tenant`` (None: every tenant); the number of writes forgotten."""
        return self.journal.reset(tenant)

    def _view(self, tenant: str, mark: Mark) -> TenantView:
        view = self._views.get(tenant)
        if view is not None and view.epoch in (mark[0], 0) and view.records_seq <= mark[1]:
            return view
        with self._making:
            records, uniques = self._start()
            view = TenantView(mark[0], {name: dict(each) for name, each in records.items()}, dict(self.base))
            view.uniques = {name: each.copy() for name, each in uniques.items()}
            self._views.put(tenant, view)
        return view

    def _start(self) -> tuple[dict[str, dict[str, Record]], dict[str, Uniques]]:
        """The start dataset's records of every collection (decoded once per process from the first store of each,
        then shared by every tenant's view: a write replaces a record, never changes one) and their uniques."""
        if self._start_cache is None:
            records: dict[str, dict[str, Record]] = {}
            for key, spec in self.specs.items():
                name = spec.collection.name
                if name not in records:
                    store = self.base[key]
                    decoded: list[Record] = orjson.loads(store.bodies_of(np.arange(len(store), dtype=np.int32)))
                    id_field = spec.collection.id_field
                    records[name] = {str(record.get(id_field)): record for record in decoded}
            uniques = {
                name: Uniques.of(records.get(name, {}), rules, self.id_fields.get(name, ""))
                for name, rules in self.unique_rules.items()
            }
            self._start_cache = (records, uniques)
            gc.freeze()  # they live as long as the process: the collector need not walk them on every write
        return self._start_cache

    def _catch_up(self, tenant: str, view: TenantView, version: int, *, stores: bool = True) -> None:
        """Lay the tenant's writes after the view's over its records; rebuild the stores they touch."""
        if view.records_seq < version:
            self._apply(view, self.journal.since(tenant, view.records_seq))
        if stores and view.stores_seq != view.records_seq:
            self._rebuild(view)

    def _apply(self, view: TenantView, rows: Sequence[Row]) -> None:
        for seq, collection, record_id, body in rows:
            records = view.records.setdefault(collection, {})
            uniques = view.uniques.get(collection)
            old = records.pop(record_id, None)
            if old is not None and uniques is not None:
                uniques.remove(old)
            if body is not None:
                record = orjson.loads(body)
                records[record_id] = record
                if uniques is not None:
                    uniques.add(record, self.id_fields.get(collection, ""))
            view.records_seq = max(view.records_seq, seq)
            view.touched.add(collection)

    def _rebuild(self, view: TenantView) -> None:
        touched, view.touched = view.touched, set()
        dataset = _dataset(view.records)
        for key, spec in self.specs.items():
            if self.reads[key] & touched:
                view.stores[key] = store_of_dataset(spec, dataset)
        view.stores_seq = view.records_seq


def _dataset(records: Mapping[str, Mapping[str, Record]]) -> Dataset:
    kept: dict[str, Any] = {name: list(each.values()) for name, each in records.items() if name in TOP_LEVEL_KEYS}
    return Dataset(**kept)
