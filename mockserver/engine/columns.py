"""One path's values by customer position, as dense ranks that answer an operator with a boolean mask.

Customers are numbered by *position*: their place in the order of the spec's tie-breaker (``_id`` ascending),
so "ties broken by ``_id``" is "ties broken by position", which every stable sort over positions gives for free.
Everything a query touches is a numpy array (or a short list of distinct values), never a per-customer Python
object. A ``Column`` holds one path's values as dense ranks and answers eq/in/ne/nin/ranges/exists with a mask
over positions; the text operators search a ``TextIndex`` of the column's distinct values.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from customers_spec.model import FieldType
from customers_spec.values import record_value
from mockserver.engine.packed import PackedInstants, packed
from mockserver.engine.textindex import SEPARATOR, TextIndex

Mask = npt.NDArray[np.bool_]

Positions = npt.NDArray[np.int32]

Ranked = tuple[Sequence[Any], npt.NDArray[np.int32]]  # sorted distinct values (no None), and ranks (0: None)

FEW_RANKS = 8

LOOKUP_ABOVE = 32  # a text needle found more than size / this times is marked by a table lookup per position


class Column:
    """One path's values by position as dense ranks: 0 without a value (missing sorts lowest), else 1 + the
    value's place among the sorted distinct values; equal values (``1`` and ``1.0``, one instant in two
    offsets) share a rank."""

    def __init__(self, field_type: FieldType, values: Sequence[Any]) -> None:
        self.type = field_type
        self.size = len(values)
        self.uniques: Sequence[Any]
        self.uniques, self.ranks = dense_ranks(values)
        self._text: TextIndex | None = None
        self._by_rank: npt.NDArray[np.int32] | None = None  # positions by (rank, position), for text matches
        self._rank_starts: npt.NDArray[np.int64] | None = None

    @classmethod
    def of(cls, field_type: FieldType, stored: Sequence[Any]) -> Column:
        """The column of a path's ``stored`` values; a date is parsed once per distinct string."""
        return cls.of_ranked(field_type, ranked(stored))

    @classmethod
    def of_ranked(cls, field_type: FieldType, raw: Ranked) -> Column:
        """The column of a path's stored values given as ``ranked`` (what chunks merge into): a date string is
        parsed once per distinct string, and equal instants share a rank."""
        raw_uniques, raw_ranks = raw
        column = cls.__new__(cls)
        column.type, column.size = field_type, len(raw_ranks)
        if field_type == "date":
            instants, instant_ranks = ranked([record_value(field_type, value) for value in raw_uniques])
            column.uniques = PackedInstants(instants)
            column.ranks = np.concatenate(([0], instant_ranks)).astype(np.int32)[raw_ranks]
        else:
            column.uniques, column.ranks = packed(raw_uniques), raw_ranks
        column._text, column._by_rank, column._rank_starts = None, None, None
        return column

    def reordered(self, order: npt.NDArray[np.integer[Any]]) -> Column:
        """This column with its ranks rearranged: position ``i`` gets the rank that was at ``order[i]``."""
        self.ranks = self.ranks[order]
        return self

    def value_ranks(self, values: Iterable[Any]) -> list[int]:
        """The ranks of those ``values`` that some customer has."""
        found = []
        for value in set(values):
            index = _place(self.uniques, value)
            if index < len(self.uniques) and self.uniques[index] == value:
                found.append(index + 1)
        return found

    def select(self, operator: str, value: Any) -> Mask:
        """The positions ``operator`` accepts (every operator but the text ones); missing values: ne/nin/exists."""
        ranks = self.ranks
        if operator == "exists":
            return ranks > 0 if value else ranks == 0
        if operator in ("eq", "in", "ne", "nin"):
            wanted = self.value_ranks(value if operator in ("in", "nin") else (value,))
            if len(wanted) <= FEW_RANKS:  # a comparison per rank beats a table lookup per position
                equal = np.zeros(self.size, dtype=np.bool_)
                for rank in wanted:
                    equal |= ranks == rank
            else:
                table = np.zeros(len(self.uniques) + 1, dtype=np.bool_)
                table[wanted] = True
                equal = table[ranks]
            return equal if operator in ("eq", "in") else ~equal
        low, high = _place(self.uniques, value) + 1, _place(self.uniques, value, after=True) + 1
        if operator == "gt":
            return ranks >= high
        if operator == "gte":
            return ranks >= low
        if operator == "lt":
            return (ranks > 0) & (ranks < low)
        if operator == "lte":
            return (ranks > 0) & (ranks < high)
        raise ValueError(f"'{operator}' is not an operator a column answers")

    def search(self, operator: str, needle: str, into: Mask) -> None:
        """Mark in ``into`` the positions whose case-folded string ``operator`` (contains/startsWith/endsWith)
        accepts ``needle`` (already case-folded); a position without a string never matches. The cost is
        that of the matches (the text index finds the distinct values, ``by_rank`` their positions), and at
        most one table lookup per position when they are many."""
        self.prepare_search()
        text: TextIndex = self._text  # type: ignore[assignment]
        owners = text.owners_matching(operator, needle)
        if len(owners) * LOOKUP_ABOVE > self.size:  # many: a lookup per position in a table of the matched values
            matched = np.zeros(len(self.uniques) + 1, dtype=np.bool_)
            matched[owners + 1] = True
            into |= np.take(matched, self.ranks)  # take: a third faster than indexing with int32
        elif len(owners):
            into[self.positions_of_ranks(text.distinct(owners) + 1)] = True

    def prepare_search(self) -> None:
        """Build the text index and ``by_rank`` now (before the workers fork), not on a worker's first query."""
        if self._text is None:  # concurrent first queries may both build; ``_text`` is set last, when all is ready
            rank_starts = np.zeros(len(self.uniques) + 2, dtype=np.int64)
            np.cumsum(np.bincount(self.ranks, minlength=len(self.uniques) + 1), out=rank_starts[1:])
            self._by_rank = np.argsort(self.ranks, kind="stable").astype(np.int32)
            self._rank_starts = rank_starts
            self._text = TextIndex(self.folded)

    def folded(self) -> list[str | None]:
        """The distinct values case-folded (None for a value that is not a string), by rank - 1."""
        if isinstance(self.uniques, PackedInstants):
            return [None] * len(self.uniques)
        return [value.casefold() if isinstance(value, str) else None for value in self.uniques]

    def positions_of_ranks(self, ranks: npt.NDArray[np.integer]) -> npt.NDArray[np.int32]:
        """The positions holding any of ``ranks`` (after ``prepare_search``)."""
        rank_starts, by_rank = self._rank_starts, self._by_rank
        assert rank_starts is not None and by_rank is not None, "prepare_search() first"
        return members_of_ranks(by_rank, rank_starts, ranks)


def members_of_ranks(
    by_rank: Positions, rank_starts: npt.NDArray[np.int64], ranks: npt.NDArray[np.integer]
) -> Positions:
    """The positions holding each of ``ranks``, rank after rank: ``by_rank`` holds the positions grouped by
    rank, the group of rank ``r`` starting at ``rank_starts[r]``."""
    lows = rank_starts[ranks]
    lengths = rank_starts[ranks + 1] - lows
    if not len(lengths) or (lengths == 1).all():  # one position each (a unique column): no groups to spread
        return by_rank[lows]
    shifts = np.repeat(lows - (np.cumsum(lengths) - lengths), lengths)
    return by_rank[shifts + np.arange(int(lengths.sum()), dtype=np.int64)]


def combined_texts(columns: Sequence[Column]) -> list[str | None]:
    """Per position the case-folded fields joined by NUL (None when none has a string)."""
    return joined_texts([folded_by_position([None, *column.folded()], column.ranks) for column in columns])


def folded_by_position(folded: list[str | None], ranks: npt.NDArray[np.integer]) -> list[str | None]:
    """Per position its case-folded string: ``folded`` by rank (0: no value, so ``folded[0]`` is None)."""
    return list(map(folded.__getitem__, ranks.tolist()))


def joined_texts(fields: Sequence[Sequence[str | None]]) -> list[str | None]:
    """Per position the fields' strings joined by NUL, skipping the missing ones (None when all are)."""
    joined: list[str | None] = []
    for texts in zip(*fields, strict=True):
        if None in texts:
            present = [text for text in texts if text is not None]
            joined.append(SEPARATOR.join(present) if present else None)
        else:
            joined.append(SEPARATOR.join(texts))  # type: ignore[arg-type]
    return joined


def dense_ranks(values: Sequence[Any]) -> Ranked:
    """The sorted distinct values (without None), and per value its rank: 0 for None, else 1 + its place among
    them. Python compares (code-point order for strings, ``1 == 1.0``), so ranks order as the spec says."""
    uniques, ranks = ranked(values)
    return packed(uniques), ranks


def ranked(values: Sequence[Any]) -> Ranked:
    """``dense_ranks`` with the distinct values as a plain list (what a chunk hands on to be merged)."""
    distinct = set(values)
    distinct.discard(None)
    uniques = sorted(distinct)
    lookup: dict[Any, int] = dict(zip(uniques, range(1, len(uniques) + 1), strict=True))
    lookup[None] = 0
    return uniques, np.fromiter(map(lookup.__getitem__, values), dtype=np.int32, count=len(values))


def _place(uniques: Sequence[Any], value: Any, *, after: bool = False) -> int:
    """Where ``value`` goes among the sorted ``uniques``: before its equals, or after them if ``after``."""
    if isinstance(uniques, PackedInstants) and isinstance(value, datetime):
        return uniques.place(value, after=after)
    return bisect_right(uniques, value) if after else bisect_left(uniques, value)
