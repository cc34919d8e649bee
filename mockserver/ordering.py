"""Customer positions in the order of a sort, so a page is a slice and a filtered result rarely needs a sort.

Positions already follow the tie-breaker, and every sort here is stable over positions, so the tie-breaker
never has to be compared. Single-key orders are built at start-up; multi-key ones on first use, then cached.
A result is put in order either by picking its members out of the full order (large results) or by sorting
it by dense ranks (small ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import filterfalse

from customers_spec.model import SortKey
from mockserver.cache import LruCache
from mockserver.index import Column, Selection

Keys = tuple[SortKey, ...]

PICK_FROM_FULL = 16  # a result above 1/16 of all customers is picked out of a full order rather than sorted
BUILD_FULL = 4  # a result above 1/4 of all customers is worth building (and caching) the full order for


class Orderings:
    """Full orders by canonical sort keys: built for every single key at start-up, multi-key ones in an LRU."""

    def __init__(
        self,
        columns: Mapping[str, Column],
        positions: list[int],
        tie_breaker: SortKey,
        unique_tie_breaker: bool,
        cache_size: int = 16,
    ) -> None:
        self._columns = columns
        self._positions = positions
        self._tie_breaker = tie_breaker
        self._unique_tie_breaker = unique_tie_breaker
        self._built: dict[Keys, list[int]] = {(): positions}
        self._cache: LruCache[list[int]] = LruCache(cache_size)

    def prebuild(self, paths: Iterable[str]) -> None:
        """Build the order of every single key on ``paths``, both directions, so those pages are slices."""
        for path in paths:
            for descending in (False, True):
                keys = self.canonical((SortKey(path, descending),))
                self._built.setdefault(keys, self._build(keys))

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

    def full(self, keys: Keys, *, build: bool = True) -> list[int] | None:
        """Every position in the order of canonical ``keys``; None when not built yet and ``build`` is False."""
        ordering = self._built.get(keys) or self._cache.get(keys)
        if ordering is None and build:
            ordering = self._build(keys)
            self._cache.put(keys, ordering)
        return ordering

    def arrange(self, selection: Selection, keys: Keys) -> list[int]:
        """The selected positions in the order of canonical ``keys``."""
        size = len(self._positions)
        if selection.is_all():
            return self.full(keys)  # type: ignore[return-value]
        count = selection.count(size)
        if count == 0:
            return []
        ordering = self.full(keys, build=count * BUILD_FULL > size)
        if ordering is not None and count * PICK_FROM_FULL > size:
            member = selection.positions.__contains__
            return list(filterfalse(member, ordering) if selection.negated else filter(member, ordering))
        return self.sort(selection.members(size), keys)

    def sort(self, positions: Iterable[int], keys: Keys) -> list[int]:
        """``positions`` sorted by ``keys`` (ranks compared, ties by position)."""
        base = sorted(positions)
        if not keys:
            return base
        if len(keys) == 1:
            (key,) = keys
            return sorted(base, key=self._columns[key.path].ranks.__getitem__, reverse=key.descending)
        rows = [self._directed(key, base) for key in keys]
        composite = list(zip(*rows, strict=True))
        return [base[index] for index in sorted(range(len(base)), key=composite.__getitem__)]

    def _directed(self, key: SortKey, positions: Sequence[int]) -> list[int]:
        ranks = self._columns[key.path].ranks
        return [-ranks[position] for position in positions] if key.descending else [ranks[p] for p in positions]

    def _build(self, keys: Keys) -> list[int]:
        """The full order: one rank list per key folded into one integer per position (mixed radix), sorted."""
        if len(keys) <= 1:
            return self.sort(self._positions, keys)
        composite = [0] * len(self._positions)
        for key in keys:
            ranks = self._columns[key.path].ranks
            radix = max(ranks, default=0) + 1
            if key.descending:
                top = radix - 1
                composite = [value * radix + top - rank for value, rank in zip(composite, ranks, strict=True)]
            else:
                composite = [value * radix + rank for value, rank in zip(composite, ranks, strict=True)]
        return sorted(self._positions, key=composite.__getitem__)
