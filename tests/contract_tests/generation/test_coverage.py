"""What a run reached and could not reach is said: the kinds of parameter combined, filters without values from
the data, areas left short."""

from __future__ import annotations

from collections import Counter

from contract_tests.generation.cases import Case
from contract_tests.generation.coverage import (
    AreaRun,
    area_gaps,
    combination,
    combinations_line,
    data_gaps,
    rule_kind,
)
from contract_tests.generation.sample import Sample
from customers_spec import Spec
from customers_spec.model import SortKey
from customers_spec.terms import filter_condition, general_condition


def test_an_empty_server_and_unknown_related_ids_are_gaps(spec: Spec) -> None:
    assert data_gaps(spec, Sample(), ["valid"]) == [
        "the server has no customers: every filter was judged on empty results only"
    ]
    gaps = data_gaps(spec, Sample(values={"name": ("a",)}, total=1), ["valid"])
    assert any(gap.startswith("filter objectIds: no id in objects is known (give --data)") for gap in gaps)
    assert any(gap.startswith("generalField: no value in the sample for") for gap in gaps)
    assert data_gaps(spec, Sample(), ["invalid", "no_key"]) == [], "no valid request, no filter to judge"


def test_areas_that_generated_too_little_are_named() -> None:
    areas = [AreaRun("a", 5, 5, 5), AreaRun("b", 5, 2, 2), AreaRun("c", 5, unsatisfiable=True), AreaRun("d", 5, 2, 1)]
    assert area_gaps(areas) == [
        "b: only 2 of 5 requests could be generated",
        "c: no valid request could be generated from the data",
    ]
    assert areas[0].reached and not areas[2].reached


def test_a_request_combining_filters_is_named_by_the_kinds_it_combines(spec: Spec) -> None:
    status = filter_condition(spec.filters["status"], "1,2")
    name = filter_condition(spec.filters["name"], "clean")
    date = general_condition(spec, "generalField", "status.createdAt", "gte", "2024-01-01")
    case = Case("valid", (("limit", "5"),), (status, name, date), sort=(SortKey("name"),))
    assert combination(spec, case) == "generalField date + list + text search + sort + page"
    assert combination(spec, Case("valid", (), (status,))) is None, "one filter combines nothing"
    assert {rule_kind(spec, rule) for rule in spec.filters.values()} >= {"ids", "relation", "exact", "generalField"}


def test_the_summary_line_names_the_most_common_combinations() -> None:
    combined = Counter({f"kind {index}": 10 - index for index in range(8)})
    (line,) = combinations_line(combined, shown=2)
    assert line == "combined: 52 requests with two or more filters; kinds met: kind 0 (10), kind 1 (9), 6 more"
    assert combinations_line(Counter()) == []
