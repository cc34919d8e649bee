"""Plans: which terms the indexes answer, which scan text, and when fields share one haystack."""

from __future__ import annotations

import pytest

from customers_spec import Spec
from customers_spec.terms import filter_condition, general_condition
from mockserver.dataset import Dataset
from mockserver.index import CustomerIndex
from mockserver.matchers import TextScan, plan, plan_all


@pytest.fixture(scope="module")
def index(spec: Spec) -> CustomerIndex:
    def customer(position: int, name: str, city: str) -> dict:
        address = {"street": "Weg", "zip": "1", "city": city, "country": "DE"}
        return {"_id": f"{position:024x}", "number": position + 1, "name": name, "address": address}

    return CustomerIndex(spec, Dataset([customer(0, "Ab", "Cd"), customer(1, "Xy", "Köln"), customer(2, "7", "AB")]))


def test_one_needle_in_many_fields_scans_one_combined_haystack(spec: Spec, index: CustomerIndex) -> None:
    condition_plan = plan(index, filter_condition(spec.filters["nameAndAddress"], "AB"))
    assert len(condition_plan.scans) == 1 and condition_plan.indexed.is_none()
    assert condition_plan.select(index.positions).positions == {0, 2}


def test_a_needle_containing_the_separator_scans_each_field(spec: Spec, index: CustomerIndex) -> None:
    condition_plan = plan(index, filter_condition(spec.filters["nameAndAddress"], "b\x00c"))
    assert len(condition_plan.scans) == len(spec.filters["nameAndAddress"].clauses)
    assert condition_plan.select(index.positions).is_none()  # "ab" and "cd" are different fields


def test_indexed_terms_and_text_terms_of_one_condition_are_or_ed(spec: Spec, index: CustomerIndex) -> None:
    condition_plan = plan(index, filter_condition(spec.filters["name"], "1"))  # number 1, or a name with "1"
    assert set(condition_plan.indexed.members(3)) == {0} and len(condition_plan.scans) == 1
    assert condition_plan.select(index.positions).positions == {0}
    assert condition_plan.among([1, 2]) == frozenset()
    assert plan(index, filter_condition(spec.filters["name"], "7")).among([1, 2]) == {2}


def test_index_only_conditions_are_and_ed_before_any_scan(spec: Spec, index: CustomerIndex) -> None:
    status_free = general_condition(spec, "generalField", "number", "gte", "2")
    text = filter_condition(spec.filters["name"], "y")
    selected, scanning = plan_all(index, [status_free, text])
    assert set(selected.members(3)) == {1, 2} and len(scanning) == 1


def test_an_unknown_text_operator_is_refused() -> None:
    with pytest.raises(ValueError, match="not a text operator"):
        TextScan(["a"], "matches", "a").scan([0])
