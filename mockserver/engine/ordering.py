"""Customer positions in the order of a sort, so a page is a slice and a filtered result rarely needs a sort.

Positions already follow the tie-breaker, and every sort here is stable over positions, so the tie-breaker
never has to be compared. Full orders (numpy int32 permutations) of every single key are built at start-up,
before the workers fork; multi-key ones on first use, then kept in an LRU. A result is put in order either by
picking its members out of the full order (large results: one vectorized gather) or by sorting it by the
keys' dense ranks (small ones). Where only one page of a large result is wanted (``window``), the full order
is walked from its nearer end until the page is filled, and the rest of the result is never ordered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from customers_spec.model import SortKey
from mockserver.engine.cache import LruCache
from mockserver.engine.columns import Column, Mask, Positions

Keys = tuple[SortKey, ...]

SORT_BELOW = 64  # a result below 1/64 of all customers is sorted by its ranks, not placed by a full order
BUILD_FULL = 4  # a result above 1/4 of all customers is worth building (and caching) the full order for
WALK_COST = 1  # walking a full order for a window beats ordering the result when stop * size * this < count**2


class Orderings:
    """Full orders by canonical sort keys: built for every single key at start-up, multi-key ones in an LRU."""

    def __init__(
        self,
        columns: Mapping[str, Column],
        size: int,
        tie_breaker: SortKey,
        unique_tie_breaker: bool,
        cache_size: int = 16,
    ) -> None:
        self._columns = columns
        self._size = size
        self._tie_breaker = tie_breaker
        self._unique_tie_breaker = unique_tie_breaker
        # Per canonical keys: the full order, and each position's place in it.
        self._built: dict[Keys, tuple[Positions, Positions]] = {(): self._build(())}
        self._cache: LruCache[tuple[Positions, Positions]] = LruCache(cache_size)

    @property
    def tie_breaker(self) -> SortKey:
        """The key that orders the positions themselves."""
        return self._tie_breaker

    def prebuild(self, paths: Iterable[str]) -> None:
        """Build the order of every single key on ``paths``, both directions, so those pages are slices."""
        for path in paths:
            for descending in (False, True):
                keys = self.canonical((SortKey(path, descending),))
                if keys not in self._built:
                    self._built[keys] = self._build(keys)

    def canonical(self, keys: Sequence[SortKey]) -> Keys:
        """The keys that decide the order: nothing after a unique tie-breaker path counts, and a trailing
        tie-breaker in its own direction is what position order already is."""
        deciding: list[SortKey] = []
        for key in keys:
            if key.path == self._tie_breaker.path and self._unique_tie_breaker:
                if key != self._tie_breaker:
                    deciding.append(key)
                break
            deciding.append(key)
        while deciding and deciding[-1] == self._tie_breaker:
            deciding.pop()
        return tuple(deciding)

    def full(self, keys: Keys, *, build: bool = True) -> Positions | None:
        """Every position in the order of canonical ``keys``; None when not built yet and ``build`` is False."""
        built = self._full_and_places(keys, build)
        return None if built is None else built[0]

    def _full_and_places(self, keys: Keys, build: bool) -> tuple[Positions, Positions] | None:
        built = self._built.get(keys)
        if built is None:
            built = self._cache.get(keys)
        if built is None and build:
            built = self._build(keys)
            self._cache.put(keys, built)
        return built

    def arrange(self, selection: Mask | None, keys: Keys) -> Positions:
        """The positions ``selection`` holds (None: all) in the order of canonical ``keys``."""
        if selection is None:
            return self.full(keys)  # type: ignore[return-value]
        count = int(np.count_nonzero(selection))
        if count == 0:
            return np.zeros(0, dtype=np.int32)
        members = np.flatnonzero(selection).astype(np.int32)
        if not keys:
            return members
        if count * SORT_BELOW > self._size:
            built = self._full_and_places(keys, build=count * BUILD_FULL > self._size)
            if built is not None:  # each member's place in the full order, sorted: no comparison of keys
                ordering, places = built
                return np.take(ordering, np.sort(np.take(places, members)))
        return self.sort(members, keys)

    def window(self, selection: Mask | None, keys: Keys, start: int, stop: int) -> tuple[Positions, int]:
        """``arrange(selection, keys)[start:stop]`` and the number of positions ``selection`` holds, at the cost
        of the window: where a full order is at hand and the window lies near one end of the result, the order
        is walked from that end, a stretch at a time, until the window is filled, instead of ordering every
        match (a page of a large result costs a tenth as much; a result walked to its middle, no more than
        ordering it)."""
        if selection is None:
            return self.full(keys)[start:stop], self._size  # type: ignore[index]
        count = int(np.count_nonzero(selection))
        stop = min(stop, count)
        if start >= stop:
            return np.zeros(0, dtype=np.int32), count
        if not keys:
            return _walk(None, selection, count, start, stop), count
        if count * SORT_BELOW > self._size:
            built = self._full_and_places(keys, build=count * BUILD_FULL > self._size)
            if built is not None and min(stop, count - start) * self._size * WALK_COST < count * count:
                return _walk(built[0], selection, count, start, stop), count
        return self.arrange(selection, keys)[start:stop], count

    def sort(self, positions: Positions, keys: Keys) -> Positions:
        """Ascending ``positions`` sorted by ``keys`` (ranks compared, ties by position: the sort is stable)."""
        if not keys:
            return positions
        rows = [self._directed(key, positions) for key in reversed(keys)]  # lexsort: the last row decides first
        return positions[np.lexsort(rows)] if len(rows) > 1 else positions[np.argsort(rows[0], kind="stable")]

    def _directed(self, key: SortKey, positions: Positions) -> np.ndarray:
        ranks = self._columns[key.path].ranks[positions]
        return -ranks if key.descending else ranks

    def _build(self, keys: Keys) -> tuple[Positions, Positions]:
        """The full order of canonical ``keys`` and each position's place in it (read-only: pages are views)."""
        ordering = self.sort(np.arange(self._size, dtype=np.int32), keys)
        places = np.empty(self._size, dtype=np.int32)
        places[ordering] = np.arange(self._size, dtype=np.int32)
        ordering.flags.writeable = places.flags.writeable = False
        return ordering, places


def _walk(ordering: Positions | None, selection: Mask, count: int, start: int, stop: int) -> Positions:
    """The members of ``selection`` (``count`` of them) ranked [start, stop) in ``ordering`` (None: position
    order), read from whichever end of the order the window lies nearer (``stop <= count``)."""
    if ordering is not None and count - start < stop:  # ranked [count - stop, count - start) from the end
        return np.ascontiguousarray(_walk_forward(ordering[::-1], selection, count, count - stop, count - start)[::-1])
    return _walk_forward(ordering, selection, count, start, stop)


def _walk_forward(ordering: Positions | None, selection: Mask, count: int, start: int, stop: int) -> Positions:
    """``_walk`` from the start: stretches of the order are read, each as long as the members still missing
    need at the result's density (and at least twice the last), so a page early in the order reads little."""
    size = len(selection)
    found: list[Positions] = []
    got = at = span = 0
    while got < stop and at < size:
        span = max(span * 2, (stop - got) * size // count + (stop - got) // 8 + 64)
        if ordering is None:
            hits = (np.flatnonzero(selection[at : at + span]) + at).astype(np.int32)
        else:
            stretch = ordering[at : at + span]
            hits = stretch[np.take(selection, stretch)]  # take: a third faster than indexing with int32
        found.append(hits)
        got += len(hits)
        at += span
    return np.concatenate(found)[start:stop] if len(found) > 1 else found[0][start:stop]
