"""Generation is data-aware: filters built from a sample of the data mostly match something."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from contract_tests.generation.cases import Case
from contract_tests.generation.sample import sample_from
from contract_tests.generation.strategies import from_spec, valid_cases
from contract_tests.judging.oracle import satisfies, satisfies_all
from customers_spec import Spec
from customers_spec.datafile import Dataset

RUN = settings(max_examples=60, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
MATCHING_SHARE = 0.4


@pytest.mark.parametrize(
    "parameter", ["name", "nameAndAddress", "status", "ids", "number", "generalField", "objectIds"]
)
def test_filters_are_biased_toward_the_data(spec: Spec, dataset: Dataset, parameter: str) -> None:
    sample = sample_from(spec, dataset.customers, related={"objects": dataset.objects})
    seen: Counter[bool] = Counter()

    @RUN
    @given(valid_cases(spec, sample=sample, focus=parameter))
    def draw(case: Case) -> None:
        (condition,) = [each for each in case.conditions if each.parameter == parameter]
        seen[any(satisfies(item, condition, dataset.objects) for item in dataset.customers)] += 1

    draw()
    assert seen[True] >= MATCHING_SHARE * sum(seen.values()), seen


def test_text_filters_come_in_mixed_case(spec: Spec, dataset: Dataset) -> None:
    sample = sample_from(spec, dataset.customers)
    recased: list[str] = []

    @RUN
    @given(valid_cases(spec, sample=sample, focus="name"))
    def draw(case: Case) -> None:
        value = case.value("name") or ""
        exact = any(value in item["name"] for item in dataset.customers)
        if not exact and any(satisfies_all(item, case.conditions[:1]) for item in dataset.customers):
            recased.append(value)

    draw()
    assert recased, "some name filters match only case-insensitively"


def test_from_spec_mixes_the_requested_kinds(spec: Spec, dataset: Dataset) -> None:
    kinds: Counter[str] = Counter()

    @settings(RUN, max_examples=200)  # a one-in-ten kind needs more than RUN's 60 draws to be sure to appear
    @given(from_spec(spec, sample=sample_from(spec, dataset.customers), kinds=["valid", "invalid", "wrong_key"]))
    def draw(case: Case) -> None:
        kinds[case.kind] += 1

    draw()
    assert set(kinds) == {"valid", "invalid", "wrong_key"} and kinds["valid"] > kinds["wrong_key"]
