"""Requests related to a generated one: restricted to ids, one filter rewritten through ``generalField`` or left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.variants import (
    general_rule,
    identity_rule,
    max_ids,
    raw_value,
    restricted,
    rewritten,
    with_value,
    without,
)
from contract_tests.judging.context import Context
from customers_spec import SortKey, Spec
from customers_spec.terms import filter_condition, general_condition


def test_the_identity_filter_is_read_from_the_spec(spec: Spec) -> None:
    rule = identity_rule(spec)
    assert rule is not None
    assert rule.clauses[0].path == spec.sort.tie_breaker.path


def _case(spec: Spec) -> Case:
    name = filter_condition(spec.filters["name"], "er")
    status = filter_condition(spec.filters["status"], "1,2")
    query = (("limit", "5"), ("sort", "name:-1"), ("name", "er"), ("status", "1,2"))
    return Case("valid", query, (name, status), sort=(SortKey("name", True),))


def test_a_case_restricted_to_ids_keeps_its_sort_and_the_filters_asked_for(
    spec: Spec, mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    rule = identity_rule(spec)
    assert rule is not None and max_ids(spec, rule) == 100 and general_rule(spec) == spec.filters["generalField"]
    case = _case(spec)
    probe = restricted(ctx, case, ["a" * 24, "b" * 24], rule, case.conditions[:1])
    assert probe.query == (("sort", "name:-1"), ("name", "er"), ("ids", f"{'a' * 24},{'b' * 24}"), ("limit", "2"))
    assert [each.parameter for each in probe.conditions] == ["name", "ids"] and probe.sort == case.sort
    assert without(case, case.conditions[0]).query == (("limit", "5"), ("sort", "name:-1"), ("status", "1,2"))


def test_a_filter_is_rewritten_through_general_field_or_given_another_value(
    spec: Spec, mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    case = _case(spec)
    status = case.conditions[1]
    assert raw_value(ctx, case, status) == "1,2"
    probe = rewritten(ctx, case, status, "nin", "1,2")
    assert probe is not None and probe.query[-3:] == (
        ("generalField[field]", "status.status"),
        ("generalField[operator]", "nin"),
        ("generalField[value]", "1,2"),
    )
    assert probe.conditions[-1] == general_condition(spec, "generalField", "status.status", "nin", "1,2")
    assert raw_value(ctx, probe, probe.conditions[-1]) == "1,2"
    assert rewritten(ctx, case, status, "contains", "1") is None, "the spec allows no contains on numbers"
    other = with_value(ctx, case, status, "3")
    assert other is not None and other.query[-1] == ("status", "3") and other.conditions[-1].parameter == "status"
    assert with_value(ctx, case, status, "x") is None
