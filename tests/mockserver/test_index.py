"""The indexes: selection algebra, columns answering operators, relations, and the bulk path reader."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from customers_spec import Spec
from customers_spec.values import get_path
from mockserver.dataset import Dataset, default_dataset
from mockserver.index import (
    ALL,
    NONE,
    Column,
    CustomerIndex,
    Selection,
    combined_haystack,
    in_tie_breaker_order,
    values_at,
)

UNIVERSE = 8
INTS = list(range(UNIVERSE + 2))
selections = st.builds(Selection, st.frozensets(st.integers(0, UNIVERSE - 1)).map(frozenset), st.booleans())


def members(selection: Selection) -> set[int]:
    return set(selection.members(UNIVERSE))


@given(selections, selections)
def test_selections_combine_like_the_sets_they_stand_for(left: Selection, right: Selection) -> None:
    assert members(left & right) == members(left) & members(right)
    assert members(left | right) == members(left) | members(right)
    assert left.count(UNIVERSE) == len(members(left))
    assert [position in left for position in range(UNIVERSE)] == [p in members(left) for p in range(UNIVERSE)]


def test_all_and_none_are_identities() -> None:
    some = Selection(frozenset({1, 2}))
    assert (ALL & some) is some and (some & ALL) is some and (NONE | some) is some and (some | NONE) is some
    assert (NONE & some).is_none() and (ALL | some).is_all()


def test_values_at_reads_what_get_path_reads(spec: Spec) -> None:
    records = [*default_dataset(spec).customers[:200], {"status": None, "contact": "odd"}, {}]
    for path in spec.field_types:
        assert values_at(records, path) == [get_path(record, path) for record in records], path
    assert values_at([{"a": {"b": {"c": 1}}}, {"a": {"b": 2}}], "a.b.c") == [1, None]


def test_a_column_answers_every_non_text_operator() -> None:
    column = Column("number", [5, None, 1, 5, 3.5, None, 9], INTS)
    cases = {
        ("eq", 5): {0, 3}, ("eq", 2): set(), ("ne", 5): {1, 2, 4, 5, 6}, ("in", (1, 9, 4)): {2, 6},
        ("nin", (1, 9)): {0, 1, 3, 4, 5}, ("gt", 3.5): {0, 3, 6}, ("gte", 3.5): {0, 3, 4, 6},
        ("lt", 5): {2, 4}, ("lte", 5): {0, 2, 3, 4}, ("gt", 100): set(), ("lte", 100): {0, 2, 3, 4, 6},
        ("exists", True): {0, 2, 3, 4, 6}, ("exists", False): {1, 5},
    }  # fmt: skip
    for (operator, value), expected in cases.items():
        assert set(column.select(operator, value).members(7)) == expected, (operator, value)


def test_ranks_are_dense_with_missing_lowest_and_equal_instants_equal() -> None:
    early, late = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    column = Column("date", [late, None, early, late, datetime(2024, 1, 1, 1, tzinfo=UTC)], INTS)
    assert column.ranks == [3, 0, 1, 3, 2]
    assert column.folded == [None] * 5
    assert Column("string", ["Straße", None], INTS).folded == ["strasse", None]


def test_a_combined_haystack_joins_the_fields_that_have_a_value() -> None:
    name = Column("string", ["Ab", None, "X"], INTS)
    city = Column("string", ["Köln", None, None], INTS)
    assert combined_haystack([name, city]) == ["ab\x00köln", None, "x"]


def test_positions_follow_the_tie_breaker_and_relations_map_to_them(spec: Spec) -> None:
    ids = ["c" * 24, "a" * 24, "b" * 24]
    customers = [{"_id": _id, "number": number} for number, _id in enumerate(ids)]
    objects = [
        {"_id": "1" * 24, "customerId": "b" * 24, "objectManagerId": "9" * 24},
        {"_id": "2" * 24, "customerId": "c" * 24, "objectManagerId": None},
        {"_id": "3" * 24, "customerId": "b" * 24, "objectManagerId": "9" * 24},
    ]
    assert [c["_id"] for c in in_tie_breaker_order(customers, spec.sort.tie_breaker, "objectid")] == sorted(ids)
    index = CustomerIndex(spec, Dataset(customers, objects))
    assert index.unique_tie_breaker and index.positions == [0, 1, 2]
    managers = spec.filters["customerHasAssignedObjectManager"].clauses[0]
    assert set(index.relation(managers).select("in", ("9" * 24,)).members(3)) == {1}
    sites = spec.filters["objectIds"].clauses[0]
    assert set(index.relation(sites).select("in", ("2" * 24, "3" * 24)).members(3)) == {1, 2}
    assert set(index.relation(managers).select("exists", False).members(3)) == {2}
