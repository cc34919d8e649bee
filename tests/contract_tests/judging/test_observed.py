"""The proxy reads live requests back into cases: every generated request reads back as what it was made as."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from contract_tests.generation.cases import Case
from contract_tests.generation.invalid import invalid_cases
from contract_tests.generation.sample import sample_from
from contract_tests.generation.strategies import valid_cases
from contract_tests.judging.observed import observed_case, read_query
from customers_spec import SortKey, Spec
from customers_spec.datafile import Dataset

RUN = settings(max_examples=150, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def test_generated_valid_requests_read_back_with_their_filters(spec: Spec, dataset: Dataset) -> None:
    sample = sample_from(spec, dataset.customers, related={"objects": dataset.objects})

    @RUN
    @given(valid_cases(spec, sample=sample))
    def read_back(case: Case) -> None:
        observed = observed_case(spec, case.query, key_sent=True, status=200)
        assert observed.kind == "valid", case
        assert set(observed.conditions) == set(case.conditions), case
        assert observed.sort == case.sort, case

    read_back()


def test_generated_invalid_requests_read_back_naming_the_culprit(spec: Spec) -> None:
    @RUN
    @given(invalid_cases(spec))
    def read_back(case: Case) -> None:
        observed = observed_case(spec, case.query, key_sent=True, status=400)
        assert (observed.kind, observed.invalid) == ("invalid", case.invalid), case

    read_back()


def test_keys_decide_the_kind(spec: Spec) -> None:
    assert observed_case(spec, (), key_sent=False, status=401).kind == "no_key"
    assert observed_case(spec, (), key_sent=True, status=401).kind == "wrong_key"
    assert observed_case(spec, (("limit", "5"),), key_sent=True, status=200).kind == "valid"


def test_repeated_and_malformed_parameters_are_invalid(spec: Spec) -> None:
    assert read_query(spec, (("limit", "5"), ("limit", "6"))).invalid == "limit"
    assert read_query(spec, (("sort", ""),)).invalid == "sort"
    assert read_query(spec, (("generalField", "x"),)).invalid == "generalField"
    assert read_query(spec, (("generalField[field]", "name"),)).invalid == "generalField"
    assert read_query(spec, (("limit", "10"), ("sort", "name:-1"))).invalid == ""
    assert read_query(spec, (("sort", "name:-1,name:1"),)).sort == (SortKey("name", True), SortKey("name"))
