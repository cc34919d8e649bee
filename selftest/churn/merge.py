"""Merging the overlay's customers into the base's ordered matches, by the spec's order, a window at a time.

Both sides are in order, so an overlay customer's place among the base's matches is a binary search, and only
the overlay customers before the window's end need a place (those before its start only need counting, which
is a binary search too). A customer's place in an order is its typed values on the sort's paths, each compared
in its direction, as ``contract_tests.judging.oracle.compare`` orders customers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping
from typing import Any

from customers_spec.values import get_path, record_value
from mockserver.engine.columns import Positions
from selftest.engine import Record


class Ordered:
    """A customer's place in an order: its ``present, value`` pairs on the sort's paths, each compared in its
    direction, as ``contract_tests.judging.oracle.compare`` orders customers."""

    __slots__ = ("descending", "values")

    def __init__(self, values: tuple[tuple[bool, Any], ...], descending: tuple[bool, ...]) -> None:
        self.values, self.descending = values, descending

    def __lt__(self, other: Ordered) -> bool:
        for mine, theirs, descending in zip(self.values, other.values, self.descending, strict=True):
            if mine != theirs:
                return (mine < theirs) != descending
        return False


def order_values(record: Record, paths: Mapping[str, str]) -> dict[str, tuple[bool, Any]]:
    """The record's typed value on each of ``paths`` (path: field type), with whether it has one."""
    values = {path: record_value(field_type, get_path(record, path)) for path, field_type in paths.items()}  # type: ignore[arg-type]
    return {path: (value is not None, value) for path, value in values.items()}


def merged_window(
    kept: Positions,
    count: int,
    overlay_place: Callable[[int], Ordered],
    start: int,
    stop: int,
    base_place: Callable[[int], Ordered],
    *,
    ordered: bool,
) -> list[Positions | int]:
    """Places ``[start, stop)`` of ``kept`` merged with ``count`` overlay customers (each side in order; the
    places of its members by ``base_place`` and ``overlay_place``): runs of base positions, and overlay customers
    by rank. An overlay customer's place is found by binary search among ``kept``; only those near the window are
    placed. Where ``kept`` is not in order (``ordered`` False: an engine fault rearranged it), each is placed from
    the previous one on, so that the merge is still one order."""

    def place(rank: int, low: int = 0, high: int | None = None) -> int:
        high = len(kept) if high is None else high
        return bisect_left(kept, overlay_place(rank), lo=low, hi=high, key=base_place)

    if ordered:  # the overlay customers placed before the window, by a binary search of their places
        before = bisect_left(range(count), start, key=lambda rank: place(rank) + rank)
        found = place(before) if before < count else len(kept)
    else:
        before = found = 0
        while before < count and (found := place(before, found)) + before < start:
            before += 1
    window: list[Positions | int] = []
    at, taken = start, start - before  # the window's next place, and the next of ``kept`` to take
    for rank in range(before, count):
        if rank > before:  # in order, a place at ``stop - rank`` or later is past the window: no need to look on
            found = place(rank, found, max(found, min(len(kept), stop - rank)) if ordered else None)
        if found + rank >= stop:
            break
        if found + rank > at:
            window.append(kept[taken:found])
            taken = found
        window.append(rank)
        at = found + rank + 1
    if stop > at:
        window.append(kept[taken : taken + stop - at])
    return window
