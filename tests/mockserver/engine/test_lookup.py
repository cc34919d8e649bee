"""A value's rank by one binary search in C, and a path's groups in one order: what the item by id and a
sub-collection's default pages read."""

from __future__ import annotations

import numpy as np

from mockserver.engine.columns import Column
from mockserver.engine.lookup import Groups, RankLookup


def test_a_string_s_rank_is_found_exactly_whatever_its_length_or_characters() -> None:
    values = ["b", "a", None, "ä", "abc", "a"]
    column = Column("string", values)
    lookup = RankLookup(column)
    for position, value in enumerate(values):
        if value is not None:
            assert lookup.rank(value) == column.ranks[position]
    assert [lookup.rank(raw) for raw in ("", "ab", "abcd", "z", "a\0", "abcdefgh")] == [None] * 6


def test_a_number_s_rank_is_read_as_its_type() -> None:
    column = Column("number", [3, 1, 2.5])
    lookup = RankLookup(column)
    assert (lookup.rank("1"), lookup.rank("2.5"), lookup.rank("3")) == (1, 2, 3)
    assert lookup.rank("4") is None and lookup.rank("one") is None


def test_groups_hold_each_value_s_records_in_the_order_given() -> None:
    column = Column("objectid", ["b", "a", "b", None, "b"])
    ordered = np.array([4, 3, 2, 1, 0], dtype=np.int32)  # some order of the positions
    groups = Groups(RankLookup(column), ordered)
    assert groups.members("b").tolist() == [4, 2, 0]
    assert groups.members("a").tolist() == [1]
    assert groups.members("c").tolist() == []
