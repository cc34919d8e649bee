"""Columns: a path's values as dense ranks, answering every operator with a mask over positions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np

from mockserver.engine.columns import Column
from mockserver.engine.packed import PackedInstants
from tests.mockserver.conftest import chosen


def test_a_column_answers_every_non_text_operator() -> None:
    column = Column("number", [5, None, 1, 5, 3.5, None, 9])
    cases = {
        ("eq", 5): {0, 3}, ("eq", 2): set(), ("ne", 5): {1, 2, 4, 5, 6}, ("in", (1, 9, 4)): {2, 6},
        ("nin", (1, 9)): {0, 1, 3, 4, 5}, ("gt", 3.5): {0, 3, 6}, ("gte", 3.5): {0, 3, 4, 6},
        ("lt", 5): {2, 4}, ("lte", 5): {0, 2, 3, 4}, ("gt", 100): set(), ("lte", 100): {0, 2, 3, 4, 6},
        ("exists", True): {0, 2, 3, 4, 6}, ("exists", False): {1, 5}, ("eq", 9.0): {6},
        ("in", tuple(range(20))): {0, 2, 3, 6}, ("nin", tuple(range(20))): {1, 4, 5},
    }  # fmt: skip
    for (operator, value), expected in cases.items():
        assert chosen(column.select(operator, value)) == expected, (operator, value)


def test_ranks_are_dense_with_missing_lowest_and_equal_instants_equal() -> None:
    early, late = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    column = Column("date", [late, None, early, late, datetime(2024, 1, 1, 1, tzinfo=UTC)])
    assert column.ranks.tolist() == [3, 0, 1, 3, 2]
    stored = Column.of("date", ["2024-01-01T01:00:00+01:00", "2024-01-01T00:00:00Z", None])
    assert stored.ranks.tolist() == [1, 1, 0]


def test_a_date_column_keeps_its_instants_packed_and_compares_them_to_microseconds() -> None:
    values = ["2024-01-01T01:00:00.000001+01:00", "1969-12-31T23:59:59.5Z", "2024-01-01T00:00:00Z", None, "9999-12-31"]
    column = Column.of("date", values)
    assert isinstance(column.uniques, PackedInstants)
    assert list(column.uniques) == [
        datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        datetime(9999, 12, 31, tzinfo=UTC),
    ]
    assert column.ranks.tolist() == [3, 1, 2, 0, 4]
    assert chosen(column.select("gt", datetime(2024, 1, 1, tzinfo=UTC))) == {0, 4}
    assert chosen(column.select("lte", datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC))) == {0, 1, 2}
    assert chosen(column.select("lt", datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC))) == {1, 2}
    assert chosen(column.select("gte", datetime(1900, 1, 1, tzinfo=UTC))) == {0, 1, 2, 4}
    assert chosen(column.select("eq", datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))))) == {2}
    assert column.folded() == [None] * 4  # no text in instants


def test_text_search_is_case_folded_and_skips_missing_values() -> None:
    column = Column("string", ["Straße", None, "STRASSE 5", "Gasse", "ab"])
    for operator, needle, expected in [
        ("contains", "ss", {0, 2, 3}),
        ("contains", "strasse", {0, 2}),
        ("startsWith", "stra", {0, 2}),
        ("endsWith", "sse", {0, 3}),
        ("endsWith", "strasse", {0}),
        ("contains", "", {0, 2, 3, 4}),
        ("contains", "b", {4}),
    ]:
        found = np.zeros(5, dtype=np.bool_)
        column.search(operator, needle, found)
        assert chosen(found) == expected, (operator, needle)
