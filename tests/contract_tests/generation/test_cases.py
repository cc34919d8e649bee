"""A case: its query and what the query means (filters, sort), changed together, never parsed back."""

from __future__ import annotations

from contract_tests.generation.cases import KINDS, Case, Filter
from customers_spec import SortKey, Spec
from customers_spec.terms import filter_condition


def test_the_kind_decides_the_credentials() -> None:
    assert [Case(kind).credentials for kind in KINDS] == ["key", "key", "none", "wrong", "key"]


def test_values_are_read_as_written() -> None:
    case = Case("valid", (("ids", "a,b"), ("limit", "5"), ("ids", "c")))
    assert case.value("ids") == "a,b" and case.value("offset") is None
    assert case.values("ids") == ["a,b", "c"] and case.values("offset") == []


def test_parameters_are_set_or_removed_keeping_the_rest() -> None:
    case = Case("valid", (("limit", "5"), ("name", "er"), ("offset", "3")))
    assert case.with_params(limit=1, offset=None).query == (("name", "er"), ("limit", "1"))


def test_a_filter_replaces_the_one_of_its_parameter(spec: Spec) -> None:
    old = filter_condition(spec.filters["status"], "1")
    case = Case("valid", (("status", "1"), ("limit", "5")), (old,))
    new = filter_condition(spec.filters["status"], "2,3")
    changed = case.with_filter(Filter((("status", "2,3"),), new))
    assert changed.query == (("limit", "5"), ("status", "2,3")) and changed.conditions == (new,)


def test_a_sort_is_carried_as_keys_and_written_by_the_grammar(spec: Spec) -> None:
    case = Case("valid", (("sort", "name:1"), ("limit", "5")), sort=(SortKey("name"),))
    keys = (SortKey("number", True), SortKey("name"))
    sorted_case = case.with_sort(spec.sort.grammar, keys)
    assert sorted_case.query == (("limit", "5"), ("sort", "number:-1,name:1")) and sorted_case.sort == keys
    unsorted = sorted_case.with_sort(spec.sort.grammar, ())
    assert unsorted.query == (("limit", "5"),) and unsorted.sort == ()
