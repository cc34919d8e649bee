"""A record found by a field's value, and a field's groups, at the cost of a binary search in C: what the item by
id and a sub-collection's pages read, so that they answer at least as fast as the default page.

``RankLookup`` holds a column's distinct strings as one fixed-width bytes array (UTF-8 keeps the code-point order
the column's values are sorted in), so a raw value's rank is one ``searchsorted``, not a bisect decoding a string
per step. ``Groups`` holds, per value of a path, its records' positions in one order (a sub-collection's default
order): a page of one group is a slice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from customers_spec.values import parse_value
from mockserver.engine.columns import Column, Positions
from mockserver.engine.packed import PackedStrings

TEXT_TYPES = ("string", "objectid")


class RankLookup:
    """A column's rank (1 + the value's place among its distinct values) of a raw value, or None without one."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self._keys: npt.NDArray[np.bytes_] | None = None
        if column.type in TEXT_TYPES:
            uniques = column.uniques
            strings: Sequence[str] = uniques.strings() if isinstance(uniques, PackedStrings) else list(uniques)
            encoded = [string.encode("utf-8", "surrogatepass") for string in strings]
            self._width = max(map(len, encoded), default=1) or 1
            self._keys = np.array(encoded, dtype=f"S{self._width}")

    def rank(self, raw: str) -> int | None:
        if self._keys is None:  # numbers, dates, booleans: read as the type, then bisected
            try:
                ranks = self.column.value_ranks((parse_value(self.column.type, raw),))
            except ValueError:
                return None
            return ranks[0] if ranks else None
        key = raw.encode("utf-8", "surrogatepass")
        if len(key) > self._width or key.endswith(b"\0"):  # longer than any value; NUL-padded arrays drop it
            return None
        index = int(np.searchsorted(self._keys, key))
        return index + 1 if index < len(self._keys) and self._keys[index] == key else None


class Groups:
    """Per rank of a path's column, the positions of its records in one order (flattened, ``starts`` per rank)."""

    def __init__(self, lookup: RankLookup, ordered: Positions) -> None:
        self.lookup = lookup
        ranks = lookup.column.ranks[ordered]
        self._members = ordered[np.argsort(ranks, kind="stable")]
        self._starts = np.zeros(len(lookup.column.uniques) + 2, dtype=np.int64)
        np.cumsum(np.bincount(ranks, minlength=len(lookup.column.uniques) + 1), out=self._starts[1:])

    def members(self, raw: str) -> Positions:
        """The positions of the records whose value is ``raw``, in the order the groups were made in."""
        rank = self.lookup.rank(raw)
        if rank is None:
            return self._members[:0]
        return self._members[self._starts[rank] : self._starts[rank + 1]]
