"""The mock's query engine: the spec's filter, sort and paging semantics answered from finished indexes.

``query`` turns the conditions into one boolean mask (``mockserver.engine.matchers``), puts the page's matches in
order (the first time a query is asked, only as much of the order as the page needs: most queries are asked
once) and joins the page's slices of the customers' serialized bodies. A query asked again is ordered whole and
its matches are cached, so paging through one result or repeating a query costs a slice. The store is built by
``mockserver.startup``: the index, the single-key orders (``mockserver.engine.ordering``) and every customer
serialized once into one buffer, the customers' dicts then dropped, so that the master holds arrays and one
bytes buffer, which the forked workers share.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from customers_spec.model import SortKey, Spec
from customers_spec.terms import Condition
from mockserver.engine.cache import LruCache
from mockserver.engine.columns import Positions
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.index import CollectionIndex
from mockserver.engine.lookup import Groups, RankLookup
from mockserver.engine.matchers import conditions_mask
from mockserver.engine.ordering import Keys, Orderings

ASKED_PER_RESULT = 4  # queries remembered as asked (a few hundred bytes each) per whole result kept


def store_key(spec: Spec) -> str:
    """Which store answers a list operation: one per collection and tie-breaker (the order of its positions)."""
    tie = spec.sort.tie_breaker
    return f"{spec.collection.name} {tie.path}{' descending' if tie.descending else ''}"


class CollectionStore:
    """The records of one collection of a dataset, queryable by ``Criteria``, and each one by a field's value
    (the item by id); thread-safe for concurrent queries."""

    def __init__(self, index: CollectionIndex, orderings: Orderings, bodies: Bodies, cache_size: int) -> None:
        self.index = index
        self.orderings = orderings
        self._bodies = bodies
        self._results: LruCache[Positions] = LruCache(cache_size)
        self._asked: LruCache[bool] = LruCache(cache_size * ASKED_PER_RESULT)  # the queries asked once lately
        self._lookups: dict[str, RankLookup] = {}

    def __len__(self) -> int:
        return self.index.size

    def query(self, criteria: Criteria) -> Page:
        """One page of the customers satisfying every condition, in the criteria's order."""
        if criteria.limit < 0 or criteria.offset < 0:
            raise ValueError(f"limit and offset must not be negative: {criteria.limit}, {criteria.offset}")
        start, stop = criteria.offset, criteria.offset + criteria.limit
        keys = self.orderings.canonical(criteria.sort)
        asked = (criteria.conditions, keys)
        found = self._results.get(asked)
        if found is None and self._asked.get(asked):  # asked again (paging, a repeat): order it all, and keep it
            found = self.matches(criteria.conditions, criteria.sort)
        if found is not None:
            page, total = found[start:stop], len(found)
        else:  # the first time: only the page is put in order
            page, total = self._window(criteria.conditions, keys, start, stop)
            self._asked.put(asked, True)
        return Page(total=total, count=len(page), body=self._bodies.array(page))

    def lookup(self, path: str) -> RankLookup:
        """The rank lookup of a path (made once; make it before the workers fork, so that they share it)."""
        found = self._lookups.get(path)
        if found is None:
            found = self._lookups[path] = RankLookup(self.index.column(path))
        return found

    def position(self, path: str, raw: str) -> int | None:
        """The position of the first record whose value at ``path`` is ``raw`` read as the path's type, or None.
        By the tie-breaker (the id, as a rule) it is a binary search: the positions are in its order."""
        rank = self.lookup(path).rank(raw)
        if rank is None:
            return None
        tie = self.orderings.tie_breaker
        if tie.path == path and not tie.descending:  # positions in the order of its ranks
            if self.index.unique_tie_breaker:  # one record per rank, none without a value
                return rank - 1
            return int(np.searchsorted(self.index.column(path).ranks, rank))
        return int(np.flatnonzero(self.index.column(path).ranks == rank)[0])

    def groups(self, path: str, sort: Sequence[SortKey]) -> Groups:
        """Every record grouped by its value at ``path``, each group in the order of ``sort`` (made on call)."""
        return Groups(self.lookup(path), self.matches((), sort))

    def group_page(self, groups: Groups, raw: str, offset: int, limit: int) -> Page:
        """One page of a group: the records whose value is ``raw``, as ``query`` would answer it."""
        members = groups.members(raw)
        page = members[offset : offset + limit]
        return Page(total=len(members), count=len(page), body=self._bodies.array(page))

    def body(self, position: int) -> bytes:
        """The JSON of the record at ``position``: the very bytes a page holding it has."""
        return self._bodies.one(position)

    def bodies_of(self, positions: Positions) -> bytes:
        """The records at ``positions`` as one JSON array (every record: the start of a view with writes)."""
        return self._bodies.array(positions)

    def matches(self, conditions: tuple[Condition, ...], sort: Sequence[SortKey]) -> Positions:
        """Positions of every customer satisfying ``conditions``, in the order of ``sort`` (cached)."""
        keys = self.orderings.canonical(sort)
        return self._results.get_or_make((conditions, keys), lambda: self._ordered_matches(conditions, keys))

    def _ordered_matches(self, conditions: tuple[Condition, ...], keys: Keys) -> Positions:
        return self.orderings.arrange(conditions_mask(self.index, conditions), keys)

    def _window(self, conditions: tuple[Condition, ...], keys: Keys, start: int, stop: int) -> tuple[Positions, int]:
        """``_ordered_matches(conditions, keys)[start:stop]`` and the number of matches, ordering only the window."""
        return self.orderings.window(conditions_mask(self.index, conditions), keys, start, stop)


class Bodies:
    """Every customer's JSON, serialized once into one buffer; a page is a join of slices of it."""

    def __init__(self, buffer: bytes, offsets: np.ndarray) -> None:
        self._buffer = np.frombuffer(buffer, dtype=np.uint8)  # an array: pickled out of band when built apart
        self._offsets = offsets

    def one(self, position: int) -> bytes:
        """The record at ``position``, as it is inside every page that holds it."""
        start, end = int(self._offsets[position]), int(self._offsets[position + 1])
        return bytes(memoryview(self._buffer)[start:end])  # type: ignore[arg-type]  # numpy arrays are buffers

    def array(self, positions: Positions) -> bytes:
        """The customers at ``positions`` as one JSON array."""
        view = memoryview(self._buffer)  # type: ignore[arg-type]  # numpy arrays are buffers
        starts = self._offsets[positions].tolist()
        ends = self._offsets[positions + 1].tolist()
        return b"[" + b",".join([view[start:end] for start, end in zip(starts, ends, strict=True)]) + b"]"
