"""Invalid requests: exactly one parameter the spec refuses, named in the case, confirmed invalid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from contract_tests.generation.cases import Case
from contract_tests.generation.conformance import conforms
from contract_tests.generation.invalid import invalid_cases, invalid_values, unknown_parameters
from customers_spec import Spec
from customers_spec.wire import base_name

RUN = settings(max_examples=80, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def test_each_invalid_request_names_its_one_culprit_and_breaks_the_spec(spec: Spec) -> None:
    seen: set[str] = set()

    @RUN
    @given(invalid_cases(spec))
    def draw(case: Case) -> None:
        assert case.kind == "invalid" and case.invalid
        assert {base_name(name) for name, _ in case.query} == {case.invalid}
        parameter = spec.parameters.get(case.invalid)
        if parameter is not None and not parameter.is_deep_object and not parameter.is_array:
            assert not conforms(spec, parameter, case.query[0][1]), case
        seen.add(case.invalid)

    draw()
    assert len(seen) > 3, seen


def test_unknown_parameters_are_none_the_spec_declares(spec: Spec) -> None:
    @RUN
    @given(unknown_parameters(spec))
    def draw(case: Case) -> None:
        assert case.invalid not in spec.parameters and case.query == ((case.invalid, "1"),)

    draw()


def test_a_parameter_whose_schema_allows_every_text_has_no_invalid_values(spec: Spec) -> None:
    assert invalid_values(spec, spec.parameters["limit"]) is not None
    free = [name for name, parameter in spec.parameters.items() if invalid_values(spec, parameter) is None]
    assert all("maxLength" not in spec.parameters[name].schema for name in free)
