"""Requests where parameters meet: several filters of different kinds, always with a sort and a page."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from contract_tests.generation.cases import Case
from contract_tests.generation.combinations import combined_cases, filter_groups
from contract_tests.generation.coverage import combination, rule_kind
from contract_tests.generation.sample import sample_from
from contract_tests.generation.strategies import filter_strategies
from contract_tests.judging.oracle import satisfies_all
from customers_spec import Spec
from customers_spec.datafile import Dataset


def _drawn(spec: Spec, dataset: Dataset, examples: int = 60) -> list[Case]:
    sample = sample_from(spec, dataset.customers)
    strategy = combined_cases(spec, sample=sample, rules=filter_strategies(spec, sample=sample))
    seen: list[Case] = []

    @settings(max_examples=examples, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def draw(case: Case) -> None:
        seen.append(case)

    draw()
    return seen


def test_each_request_combines_filters_of_different_kinds_with_a_sort_and_a_page(spec: Spec, dataset: Dataset) -> None:
    for case in _drawn(spec, dataset):
        kinds = [rule_kind(spec, spec.filters[condition.parameter]) for condition in case.conditions]
        assert 2 <= len(kinds) <= 3 and len(set(kinds)) == len(kinds), case.query
        assert case.sort and case.value("limit") and case.value("offset"), case.query
        assert (combination(spec, case) or "").endswith("+ sort + page")


def test_most_requests_find_customers_and_generalfield_meets_another_filter_on_its_field(
    spec: Spec, dataset: Dataset
) -> None:
    cases = _drawn(spec, dataset, examples=120)
    found = [case for case in cases if any(satisfies_all(item, case.conditions) for item in dataset.customers)]
    assert len(found) * 2 > len(cases), "anchored on a customer, the filters mostly match it"
    general = [case for case in cases if any(spec.filters[c.parameter].general for c in case.conditions)]
    shared = [
        case
        for case in general
        if len({term.clause.path for condition in case.conditions for term in condition.terms})
        < sum(len(condition.terms) for condition in case.conditions)
    ]
    assert shared, "some generalField conditions read a field another filter of the request reads"


def test_relation_filters_without_known_ids_and_ids_are_never_combined(spec: Spec, dataset: Dataset) -> None:
    groups = filter_groups(spec, sample_from(spec, dataset.customers))
    kinds = {rule_kind(spec, spec.filters[name]) for group in groups for name in group}
    assert groups and not kinds & {"relation", "ids"}
