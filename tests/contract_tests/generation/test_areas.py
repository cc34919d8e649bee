"""The areas a run explores one by one: one per filter (per field type for generalField), all valid requests,
filters combined, invalid input and keys; a filter that cannot match without --data gets a smaller share."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from contract_tests.generation.areas import areas
from contract_tests.generation.cases import Case
from contract_tests.generation.sample import sample_from
from contract_tests.generation.strategies import valid_cases
from customers_spec import Spec
from customers_spec.datafile import Dataset


def test_every_area_of_the_spec_gets_its_own_strategy(spec: Spec, dataset: Dataset) -> None:
    sample = sample_from(spec, dataset.customers)
    names = [area.name for area in areas(spec, sample=sample, kinds=["valid", "invalid", "no_key"])]
    per_filter = [
        f"filter {name} ({field_type})" if spec.filters[name].general else f"filter {name}"
        for name in sorted(spec.filters)
        for field_type in (sorted(set(spec.field_types.values())) if spec.filters[name].general else [""])
    ]
    assert names == ["telling values", *per_filter, "valid requests", "combined filters", "invalid input", "API key"]
    assert [area.name for area in areas(spec, sample=sample, kinds=["no_key"])] == ["API key"]


def test_relation_filters_without_known_ids_get_a_smaller_share_and_join_no_other_filter(
    spec: Spec, dataset: Dataset
) -> None:
    blind = sample_from(spec, dataset.customers)
    weights = {area.name: area.weight for area in areas(spec, sample=blind, kinds=["valid"])}
    relations = [name for name, rule in spec.filters.items() if any(clause.via for clause in rule.clauses)]
    assert relations and all(weights[f"filter {name}"] < weights["filter name"] for name in relations)
    seen: list[Case] = []

    @settings(max_examples=150, database=None, suppress_health_check=list(HealthCheck))
    @given(valid_cases(spec, sample=blind, focus="name"))
    def draw(case: Case) -> None:
        seen.append(case)

    draw()
    assert not any(condition.parameter in relations for case in seen for condition in case.conditions)


def test_the_telling_area_sends_each_telling_filter_or_sort_alone(spec: Spec, dataset: Dataset) -> None:
    sample = sample_from(spec, dataset.customers)
    told = next(area for area in areas(spec, sample=sample, kinds=["valid"]) if area.name == "telling values")
    seen: list[Case] = []

    @settings(max_examples=60, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(told.strategy)
    def draw(case: Case) -> None:
        seen.append(case)

    draw()
    assert all(len(case.conditions) + bool(case.sort) == 1 for case in seen), "one filter alone, or a sort alone"
    assert len({case.query for case in seen}) > 5, "the draws are told apart"
