"""The kit on a living staging (issue 17): the churning mock (``selftest.churn``) while its writer adds, removes,
renames and changes the status of customers, in process, at 1,000 customers and seed 1.

The correct server is never reported violating: exit 0 at 2 writes/s, also with writes the sign of change cannot
see (issue 23), 0 or 2 ("could not judge") at 20, also at staging latency; and every engine fault of the
self-test is still caught at 2 writes/s, since a consistent fault reproduces when the kit asks again. The
figures at other sizes, rates and latencies are ``bench/bench_churn.py``'s.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from contract_tests.judging.budget import MIN_SECONDS
from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.running.runner import run
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.churn import churning_app
from selftest.churn.app import CORRECT
from selftest.churn.latency import STAGING_MS
from selftest.faults import ENGINE_FAULTS, MEANING, MISREADING_FAULTS, Fault
from selftest.kit_setup import API_KEY, DATASET_SEED
from tests.contract_tests.test_faults import SHAPE, STAGING_SIZE

EXAMPLES = 30  # as issue 17 measured today's kit
FAST_EXAMPLES = 15  # at 20 writes/s most comparisons are confirmed again and again: a slow run
LATENT_EXAMPLES = 4  # at staging latency an example costs about a second
# Twice test_faults' staging runs, and each run ends at its first violation. A fault that shows in a few requests
# only (text read as a regular expression) was left unsettled in one run of three under load: the writes land
# while the re-asked witnesses are read again, and a refreshed sample picks other witnesses. More examples give
# it more chances; most faults are caught within the first 20.
FAULT_EXAMPLES = 200


@pytest.fixture(scope="module")
def staging_dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(STAGING_SIZE, DATASET_SEED)


def churning_run(
    spec: Spec,
    dataset: Dataset,
    rate: float,
    options: Options,
    fault: Fault = CORRECT,
    checks: list[str] | None = None,
    **serving: Any,
) -> Outcome:
    """The kit, as a staging team runs it (no dataset), against the churning mock writing ``rate`` times a second
    (``serving``: its ``mix`` of writes, its ``latency_ms``)."""
    app = churning_app(dataset, rate=rate, seed=1, fault=fault, api_keys=frozenset({API_KEY}), **serving)
    with app.writer.running():
        transport = WsgiTransport(app, API_KEY, header=spec.api_key_header)
        ctx = loaded_context(spec, transport, rejects_invalid_keys=True)
        return run(ctx, select_checks(checks), options)


def test_the_correct_server_writing_2_times_a_second_conforms(spec: Spec, staging_dataset: Dataset) -> None:
    outcome = churning_run(spec, staging_dataset, 2, Options(max_examples=EXAMPLES, seed=1))
    assert outcome.exit_code == 0, text_report(outcome, spec.api_key_header)
    assert sum(outcome.settled.values()) > sum(outcome.unsettled.values())


def test_the_correct_server_writing_20_times_a_second_conforms_or_cannot_be_judged(
    spec: Spec, staging_dataset: Dataset
) -> None:
    outcome = churning_run(spec, staging_dataset, 20, Options(max_examples=FAST_EXAMPLES, seed=1))
    assert outcome.exit_code in (0, 2), text_report(outcome, spec.api_key_header)
    assert not outcome.failures


def test_the_correct_server_writing_what_the_sign_cannot_see_conforms(spec: Spec, staging_dataset: Dataset) -> None:
    """Renames, status changes, and an add with a remove past the first 1,000 that keep the total (issue 23):
    the reference goes stale and looks fresh; the items a disagreement names, read again by id, say so."""
    outcome = churning_run(spec, staging_dataset, 2, Options(max_examples=EXAMPLES, seed=1), mix="invisible")
    assert outcome.exit_code == 0, text_report(outcome, spec.api_key_header)
    assert sum(outcome.settled.values()) > sum(outcome.unsettled.values())


def test_at_staging_latency_the_correct_server_conforms_or_cannot_be_judged_in_bounded_time(
    spec: Spec, staging_dataset: Dataset
) -> None:
    """Every answer 20-50 ms later, 20 invisible writes a second: a few examples only (each costs a second or
    so); ``bench_churn`` runs it at length."""
    started = time.monotonic()
    options = Options(max_examples=LATENT_EXAMPLES, seed=1)
    outcome = churning_run(spec, staging_dataset, 20, options, mix="invisible", latency_ms=STAGING_MS)
    assert outcome.exit_code in (0, 2) and not outcome.failures, text_report(outcome, spec.api_key_header)
    confirming = outcome.confirming
    assert confirming.windows and confirming.seconds <= max(MIN_SECONDS, outcome.seconds - confirming.seconds) + 5
    assert time.monotonic() - started < 120


# The faults made of the listed misreadings (``docs/misreadings.yaml``) are proven on still data in
# test_faults.py and under churn by ``python -m bench --only churn``: the suite keeps its ten minutes.
CHURNED_FAULTS = [fault for fault in ENGINE_FAULTS if fault not in MISREADING_FAULTS]


@pytest.mark.parametrize("fault", CHURNED_FAULTS, ids=[fault.name for fault in CHURNED_FAULTS])
def test_each_engine_fault_is_caught_writing_2_times_a_second(
    spec: Spec, staging_dataset: Dataset, fault: Fault
) -> None:
    options = Options(max_examples=FAULT_EXAMPLES, seed=1, profile=CI_PROFILE, shrink=False, max_failures=1)
    outcome = churning_run(spec, staging_dataset, 2, options, fault, [*SHAPE, *sorted(MEANING)])
    caught_by = {failure.check for failure in outcome.failures} & fault.caught_by
    assert caught_by, f"{fault.name} was not caught: {text_report(outcome, spec.api_key_header)}"
