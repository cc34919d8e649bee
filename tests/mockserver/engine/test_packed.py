"""Sorted distinct values packed into arrays: indexed and iterated as the lists they pack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mockserver.engine.packed import PackedInstants, PackedStrings, packed


@pytest.mark.parametrize("strings", [["a", "b", "é", "日本"], ["a\x00b", "c"], ["", "x"], [""], []])
def test_packed_strings_index_and_iterate_as_their_list(strings: list[str]) -> None:
    packed_strings = PackedStrings(strings)
    assert len(packed_strings) == len(strings)
    assert list(packed_strings) == packed_strings.strings() == strings
    assert [packed_strings[index] for index in range(-len(strings), len(strings))] == strings + strings
    with pytest.raises(IndexError):
        packed_strings[len(strings)]


def test_only_strings_are_packed() -> None:
    assert isinstance(packed(["a", "b"]), PackedStrings)
    assert packed([1, 2.5]) == [1, 2.5]
    assert packed([]) == []
    already = PackedStrings(["a"])
    assert packed(already) is already


def test_packed_instants_keep_microseconds_and_are_placed_without_datetimes() -> None:
    instants = [datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(2024, 5, 1, 0, 0, 0, 1, tzinfo=UTC)]
    packed_instants = PackedInstants(instants)
    assert list(packed_instants) == instants and len(packed_instants) == 2
    assert packed_instants.place(instants[1]) == 1 and packed_instants.place(instants[1], after=True) == 2
    assert packed_instants.place(datetime(2000, 1, 1, tzinfo=UTC)) == 1
