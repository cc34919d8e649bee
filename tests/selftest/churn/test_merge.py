"""The merge of a base's matches and the overlay's, a window at a time, on plain numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from selftest.churn.merge import merged_window

EVENS, ODDS = st.integers(0, 40).map(lambda half: 2 * half), st.integers(0, 40).map(lambda half: 2 * half + 1)


@settings(max_examples=500)  # cheap, and where the base is out of order the cases are many
@given(st.lists(EVENS, unique=True), st.lists(ODDS, unique=True), st.data())
def test_merged_windows_tile_one_merged_order(base: list[int], overlay: list[int], data: st.DataObject) -> None:
    """Windows of the merge are slices of one order: the sorted union where both are sorted, and a fixed
    interleaving where the base is not in order (an engine fault rearranged it)."""
    ordered = data.draw(st.booleans())
    kept = np.asarray(sorted(base) if ordered else data.draw(st.permutations(base)), dtype=np.int32)
    places = sorted(overlay)
    total = len(kept) + len(places)

    def window(start: int, stop: int) -> list[int]:
        place = places.__getitem__
        pieces = merged_window(kept, len(places), place, start, min(stop, total), int, ordered=ordered)  # type: ignore[arg-type]
        items: list[int] = []
        for piece in pieces:
            items += [places[piece]] if isinstance(piece, int) else piece.tolist()
        return items

    whole = window(0, total)
    assert sorted(whole) == sorted([*base, *overlay])
    if ordered:
        assert whole == sorted(whole)
    size = data.draw(st.integers(1, 7))
    assert [item for start in range(0, total, size) for item in window(start, start + size)] == whole
