"""The mock's query engine: the spec's filter, sort and paging semantics answered from indexes built once.

``CustomerStore.build`` serializes every customer once and builds the indexes (``mockserver.index``) and the
single-key orders (``mockserver.ordering``); ``query`` then plans the conditions (``mockserver.matchers``),
puts the matches in order and joins the page's pre-serialized customers. The ordered matches of recent
queries are cached, so paging through one result or repeating a query costs a slice.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import orjson

from customers_spec.errors import DataError
from customers_spec.model import SortKey, Spec
from customers_spec.terms import Condition
from mockserver.cache import LruCache
from mockserver.criteria import Criteria, Page
from mockserver.dataset import Dataset
from mockserver.index import CustomerIndex, Selection
from mockserver.matchers import plan_all
from mockserver.ordering import Keys, Orderings

FEW_CANDIDATES = 8  # below 1/8 of all customers, a text condition tests the candidates instead of scanning all


class CustomerStore:
    """The customers of one dataset, queryable by ``Criteria``; thread-safe for concurrent queries."""

    def __init__(self, index: CustomerIndex, orderings: Orderings, bodies: list[bytes], cache_size: int) -> None:
        self.index = index
        self.orderings = orderings
        self._bodies = bodies
        self._results: LruCache[list[int]] = LruCache(cache_size)

    @classmethod
    def build(cls, spec: Spec, dataset: Dataset, *, cache_size: int = 32) -> CustomerStore:
        """Index ``dataset`` for the spec's filters and sorts; ``cache_size`` recent results are kept (0: none)."""
        with _collector_paused():
            index = CustomerIndex(spec, dataset)
            orderings = Orderings(index.columns, index.positions, spec.sort.tie_breaker, index.unique_tie_breaker)
            orderings.prebuild(spec.sort.fields)
            return cls(index, orderings, serialize(index.records), cache_size)

    def __len__(self) -> int:
        return self.index.size

    def query(self, criteria: Criteria) -> Page:
        """One page of the customers satisfying every condition, in the criteria's order."""
        if criteria.limit < 0 or criteria.offset < 0:
            raise ValueError(f"limit and offset must not be negative: {criteria.limit}, {criteria.offset}")
        matches = self.matches(criteria.conditions, criteria.sort)
        page = matches[criteria.offset : criteria.offset + criteria.limit]
        body = b"[" + b",".join([self._bodies[position] for position in page]) + b"]"
        return Page(total=len(matches), count=len(page), body=body)

    def matches(self, conditions: tuple[Condition, ...], sort: Sequence[SortKey]) -> list[int]:
        """Positions of every customer satisfying ``conditions``, in the order of ``sort`` (cached)."""
        keys = self.orderings.canonical(sort)
        return self._results.get_or_make((conditions, keys), lambda: self._ordered_matches(conditions, keys))

    def _ordered_matches(self, conditions: tuple[Condition, ...], keys: Keys) -> list[int]:
        size, positions = self.index.size, self.index.positions
        selected, scanning = plan_all(self.index, conditions)
        if not keys and len(scanning) == 1 and len(scanning[0].scans) == 1 and scanning[0].indexed.count(size) == 0:
            return scanning[0].scans[0].scan(_within(selected, positions))  # position order is the order wanted
        for condition_plan in scanning:
            if not selected.negated and len(selected.positions) * FEW_CANDIDATES < size:
                selected = Selection(condition_plan.among(sorted(selected.positions)))
            else:
                selected = selected & condition_plan.select(positions)
        return self.orderings.arrange(selected, keys)


def _within(selected: Selection, ordering: list[int]) -> Iterable[int]:
    """``ordering`` restricted to ``selected``, lazily."""
    if selected.is_all():
        return ordering
    return filter(selected.__contains__, ordering)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the build makes millions of objects and no cycles, and each full
    collection would walk the whole dataset again (up to a third of the build time at 100,000 customers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def serialize(records: Sequence[dict]) -> list[bytes]:
    """Every customer as JSON bytes, once: a page is then a join, not a serialization."""
    bodies = []
    for position, record in enumerate(records):
        try:
            body = orjson.dumps(record)
        except orjson.JSONEncodeError as exc:
            raise DataError(f"customer {record.get('_id', position)!r} cannot be serialized: {exc}") from None
        bodies.append(bytes(memoryview(body)))  # an exact-size copy: orjson's own buffer keeps its spare room
    return bodies
