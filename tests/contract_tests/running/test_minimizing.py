"""Minimizing within a budget: a failing run against a server with several violations costs a small multiple of a
passing run, says how long minimizing took, and repeats for its seed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.minimizing import PER_FAILURE, BudgetSpent, MinimizingBudget
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Minimizing, Options, Outcome
from contract_tests.running.runner import run
from customers_spec.datafile import Dataset
from selftest.faults import FAULTS
from selftest.several_faults import SEVERAL, several_faults_app
from tests.contract_tests.conftest import API_KEY
from tests.contract_tests.running.test_runner import recording

EXAMPLES = 40
AT_MOST = 3  # a failing run's HTTP requests, as a multiple of the passing run's


def _run(in_process: Callable[..., Context], dataset: Dataset, names: tuple[str, ...], **options: object) -> Outcome:
    app = several_faults_app(dataset, names, api_keys=frozenset({API_KEY}))
    chosen = Options(max_examples=EXAMPLES, profile=CI_PROFILE, shrink_seconds=3600, **options)  # type: ignore[arg-type]
    return run(in_process(app), select_checks(), chosen)


def test_a_failing_run_costs_a_small_multiple_of_a_passing_one(
    in_process: Callable[..., Context], dataset: Dataset
) -> None:
    passing = _run(in_process, dataset, ())
    failing = _run(in_process, dataset, SEVERAL)
    assert passing.exit_code == 0, text_report(passing, "x-API-Key")
    assert failing.exit_code == 1
    meant = {check for fault in FAULTS if fault.name in SEVERAL for check in fault.caught_by}
    assert len({failure.check for failure in failing.failures} & meant) >= len(SEVERAL), "each fault is reported"
    assert failing.minimizing.failures >= len(SEVERAL) and 0 < failing.minimizing.examples <= EXAMPLES
    assert failing.traffic.requests <= AT_MOST * passing.traffic.requests, (
        f"{failing.traffic.requests} requests failing, {passing.traffic.requests} passing"
    )
    assert "\nminimizing the failures: " in text_report(failing, "x-API-Key")


def test_a_failing_seeded_run_repeats_its_requests_minimizing_included(
    mock_app: Callable[..., object], in_process: Callable[..., Context], dataset: Dataset
) -> None:
    sent, found = [], []
    for _ in range(2):
        ctx = in_process(several_faults_app(dataset, SEVERAL, api_keys=frozenset({API_KEY})))
        urls = recording(ctx)
        outcome = run(ctx, select_checks(), Options(max_examples=15, seed=31, shrink_seconds=3600))
        assert outcome.exit_code == 1 and outcome.seed == 31 and outcome.minimizing.examples > 0
        sent.append(urls)
        found.append([(failure.check, failure.url) for failure in outcome.failures])
    assert sent[0] == sent[1] and found[0] == found[1]


def test_a_run_without_a_seed_draws_one_and_says_it(in_process: Callable[..., Context], dataset: Dataset) -> None:
    app = several_faults_app(dataset, (), api_keys=frozenset({API_KEY}))
    outcome = run(in_process(app), select_checks(["page_size"]), Options(max_examples=3))
    assert outcome.seed is not None and f"seed: {outcome.seed}" in text_report(outcome, "x-API-Key")
    derandomized = run(in_process(app), select_checks(["page_size"]), Options(max_examples=3, profile=CI_PROFILE))
    assert derandomized.seed is None, "the ci profile is derandomized: no seed to repeat"


def test_the_budget_is_per_failure_and_in_all() -> None:
    record = Minimizing()
    budget = MinimizingBudget(Options(max_examples=PER_FAILURE + 5, shrink_seconds=3600), record, 1.0)
    budget.start_area(1)
    for _ in range(PER_FAILURE):
        budget.spend()
    with pytest.raises(BudgetSpent):
        budget.spend()
    budget.start_area(1)
    for _ in range(5):
        budget.spend()
    with pytest.raises(BudgetSpent):
        budget.spend()
    assert record.examples == PER_FAILURE + 5 and record.failures == 2
    assert record.limits == [f"{PER_FAILURE} examples per failure", f"{PER_FAILURE + 5} examples in all"]


def test_the_time_limit_stops_minimizing() -> None:
    record = Minimizing()
    budget = MinimizingBudget(Options(shrink_seconds=0.0), record, 1.0)
    budget.start_area(3)
    with pytest.raises(BudgetSpent):
        budget.spend()
    assert record.limits == ["0 s"] and record.examples == 0
