"""Faults inside the mock's query engine: one wrong rule, applied where a real database would apply it.

An ``Engine`` fault rewrites the conditions the store is asked (``gt`` answered as ``gte``, a list cut to its
first value, a field of ``nameAndAddress`` not searched), combines a request's conditions wrongly (one of two
filters on a field lost, a search OR-ed with the other filters), decides some terms with a wrong test on the stored
record (a case-sensitive ``contains``, a date compared as text), or puts the matches in a wrong order
(absent values last). The store then pages, counts and links that wrong result as it would the right one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import numpy as np

import mockserver.app
from customers_spec.datafile import Dataset
from customers_spec.model import Spec
from customers_spec.terms import Condition, Term
from mockserver.engine.columns import Positions
from mockserver.engine.ordering import Keys
from mockserver.engine.store import CollectionStore
from mockserver.startup.chunks import tie_breaker_order
from mockserver.startup.storing import store_of_dataset

Record = dict[str, Any]
Rewrite = Callable[[Condition], tuple[Condition, ...]]
Predicate = Callable[[Condition, Term], Callable[[Record], bool] | None]
Reorder = Callable[[CollectionStore, list[int], Keys], list[int]]
Combine = Callable[[tuple[Condition, ...]], tuple[Condition, ...]]


@dataclass(frozen=True)
class Engine:
    """One wrong rule: a request's conditions combined wrongly; each condition rewritten into conditions that
    must all hold; terms decided by a wrong test of the record (None: the engine decides the term); or the
    ordered matches rearranged."""

    combine: Combine | None = None
    rewrite: Rewrite | None = None
    predicate: Predicate | None = None
    reorder: Reorder | None = None


class FaultyStore(CollectionStore):
    """The mock's store with one ``Engine`` fault; totals, pages and links follow the faulty matches."""

    engine: Engine = Engine()
    records: Sequence[Record] = ()  # by position, set by ``build``

    @classmethod
    def build(cls, spec: Spec, dataset: Dataset, *, cache_size: int = 32) -> CollectionStore:
        """The store, keeping the records by position (the mock's own store drops them) for the wrong tests."""
        store = store_of_dataset(spec, dataset, cache_size=cache_size, kind=cls)
        records = dataset.records(spec.collection.name)
        store.records = records_by_position(spec, records)  # type: ignore[attr-defined]
        return store

    def _ordered_matches(self, conditions: tuple[Condition, ...], keys: Keys) -> Positions:
        engine = self.engine
        if engine.combine is not None:
            conditions = engine.combine(conditions)
        if engine.rewrite is not None:
            conditions = tuple(part for condition in conditions for part in engine.rewrite(condition))
        plain: list[Condition] = []
        tested: list[tuple[Condition, list[Callable[[Record], bool] | None]]] = []
        for condition in conditions:
            tests = [engine.predicate(condition, term) for term in condition.terms] if engine.predicate else []
            if any(test is not None for test in tests):
                tested.append((condition, tests))
            else:
                plain.append(condition)
        positions = [int(each) for each in super()._ordered_matches(tuple(plain), keys)]
        records = self.records
        for condition, tests in tested:
            rest = tuple(term for term, test in zip(condition.terms, tests, strict=True) if test is None)
            by_engine = (
                set(super()._ordered_matches((Condition(condition.parameter, rest),), ()).tolist()) if rest else set()
            )
            wrong = [test for test in tests if test is not None]
            positions = [p for p in positions if p in by_engine or any(test(records[p]) for test in wrong)]
        if engine.reorder is not None:
            positions = engine.reorder(self, positions, keys)
        return np.asarray(positions, dtype=np.int32)

    def _window(self, conditions: tuple[Condition, ...], keys: Keys, start: int, stop: int) -> tuple[Positions, int]:
        """A first-time query's page, cut from the faulty matches (the mock's own store orders only the page)."""
        matches = self._ordered_matches(conditions, keys)
        return matches[start:stop], len(matches)


def records_by_position(spec: Spec, customers: Sequence[Record]) -> list[Record]:
    """The customers in the order of the store's positions (by the tie-breaker), as a store built on them holds."""
    tie_breaker = spec.sort.tie_breaker
    order = tie_breaker_order(customers, tie_breaker, spec.field_types[tie_breaker.path])
    return [customers[index] for index in order]


def store_for(engine: Engine | None) -> Callable[..., CollectionStore]:
    """What builds the mock's store of a dataset (``store_of_dataset``'s signature), or one that answers with
    the ``engine`` fault."""
    if engine is None:
        return store_of_dataset
    kind: type[FaultyStore] = type("FaultyStore", (FaultyStore,), {"engine": engine})
    return kind.build


@contextmanager
def store_with(engine: Engine | None) -> Iterator[None]:
    """While open, apps made by ``mockserver.app.create_app`` answer from a store with the ``engine`` fault."""
    if engine is None:
        yield
        return
    with mock.patch.object(mockserver.app, "store_of_dataset", store_for(engine)):
        yield
