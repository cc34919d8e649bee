"""The checks where filters meet catch an engine that combines two filters wrongly, and pass the correct mock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.generation.cases import Case, Filter
from contract_tests.judging.checks.together import combined_window, combined_witnesses, near_misses_first
from contract_tests.judging.context import Context
from contract_tests.judging.failures import IncompleteResult, WitnessViolation
from contract_tests.judging.oracle import satisfies
from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.terms import filter_condition, general_condition
from customers_spec.wire import deep_pairs
from selftest.faults import ENGINE_FAULTS, faulty_app
from tests.contract_tests.conftest import API_KEY, run_kit


def _status_and_general(spec: Spec, dataset: Dataset, operator: str = "ne") -> Case:
    """``status=<a,b>`` with ``generalField`` on the same field: the two meet on ``status.status``."""
    statuses = sorted({customer["status"]["status"] for customer in dataset.customers})
    listed = f"{statuses[0]},{statuses[1]}"
    status = Filter((("status", listed),), filter_condition(spec.filters["status"], listed))
    written = {"field": "status.status", "operator": operator, "value": str(statuses[0])}
    condition = general_condition(spec, "generalField", "status.status", operator, str(statuses[0]))
    general = Filter(deep_pairs("generalField", written), condition)
    return Case("valid").with_filter(status).with_filter(general).with_params(limit=5)


def _sent(ctx: Context, case: Case) -> Any:
    return ctx.send(case)


def _on(fault_name: str, spec: Spec, dataset: Dataset, in_process: Callable[..., Context]) -> Context:
    fault = next(each for each in ENGINE_FAULTS if each.name == fault_name)
    return in_process(faulty_app(fault, dataset, api_keys=frozenset({API_KEY})))


def test_the_correct_mock_passes_where_filters_meet(ctx: Context, dataset: Dataset) -> None:
    case = _status_and_general(ctx.spec, dataset)
    response = _sent(ctx, case)
    assert combined_witnesses(ctx, case, response) is None
    assert combined_window(ctx, case, response) is None


def test_one_filter_lost_on_a_shared_field_is_caught(
    spec: Spec, dataset: Dataset, in_process: Callable[..., Context]
) -> None:
    ctx = _on("a field filtered twice: the last filter wins", spec, dataset, in_process)
    case = _status_and_general(spec, dataset)
    with pytest.raises(WitnessViolation, match="which does not meet status="):
        combined_witnesses(ctx, case, _sent(ctx, case))


def test_filters_or_ed_are_caught(spec: Spec, dataset: Dataset, in_process: Callable[..., Context]) -> None:
    ctx = _on("nameAndAddress OR-ed with the other filters", spec, dataset, in_process)
    city = dataset.customers[0]["address"]["city"][:3]
    search = Filter((("nameAndAddress", city),), filter_condition(spec.filters["nameAndAddress"], city))
    case = _status_and_general(spec, dataset).with_filter(search)
    with pytest.raises(WitnessViolation, match="which does not meet"):
        combined_witnesses(ctx, case, _sent(ctx, case))


def test_an_item_missing_inside_the_page_is_caught(ctx: Context, dataset: Dataset) -> None:
    case = _status_and_general(ctx.spec, dataset).with_params(limit=20)
    response = _sent(ctx, case)
    items = ctx.items(response) or []
    assert len(items) >= 3
    response.memo["items"] = [items[0], *items[2:]]  # the second item dropped: it sorts inside the page
    with pytest.raises(IncompleteResult, match="sorts between its first and last item"):
        combined_window(ctx, case, response)


def test_witnesses_near_a_miss_come_first(ctx: Context, dataset: Dataset) -> None:
    case = _status_and_general(ctx.spec, dataset)
    chosen = near_misses_first(ctx.sample.records, case.conditions, 10)
    met = [sum(satisfies(record, condition) for condition in case.conditions) for record in chosen]
    assert met[:2] and min(met[:2]) >= 1, "the first witnesses meet every filter but one, or all"


@pytest.mark.parametrize(
    "name", ["a field filtered twice: the last filter wins", "nameAndAddress OR-ed with the other filters"]
)
def test_a_run_catches_filters_combined_wrongly(
    name: str, spec: Spec, dataset: Dataset, in_process: Callable[..., Context]
) -> None:
    """A whole run, the two checks alone: the requests where filters meet are drawn often enough to show it."""
    outcome = run_kit(_on(name, spec, dataset, in_process), max_examples=150, checks=["combined_witnesses"])
    assert outcome.failures, f"{name} was not caught"


def test_a_run_on_the_correct_mock_passes_and_judges(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    outcome = run_kit(in_process(mock_app()), max_examples=100, checks=["combined_witnesses", "combined_window"])
    assert outcome.exit_code == 0
    assert outcome.passed["combined_witnesses"] and outcome.passed["combined_window"]
    assert outcome.combined, "the summary names the kinds of parameter combined"
