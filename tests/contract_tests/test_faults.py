"""The kit passes the mock and catches every deliberately injected fault (``selftest.faults``), one test each.

The faults of the mock's answers run on the small dataset with the checks meant to catch each. The faults
inside the query engine, consistent across totals, pages and links, run at 1,000 customers without the
dataset (no ``--data``), as a staging team runs the kit, and each must be caught by a size-independent
meaning check (``MEANING``), not by comparing with a copy of the data; their paired control runs the same
checks and options against the correct mock. Among them is one fault per listed misreading of the spec
(``docs/misreadings.yaml``, ``selftest.readings``); each run stops at its first violation, so a caught fault
costs only the examples up to it (the ``telling values`` area comes first). The 100,000-customer proofs are in
``bench/bench_detection.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.running.runner import run
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.faults import ENGINE_FAULTS, FAULTS, MEANING, Fault, faulty_app
from tests.contract_tests.conftest import API_KEY, DATASET_SEED, run_kit

EXAMPLES_PER_FAULT = 150
STAGING_SIZE = 1000
STAGING_EXAMPLES = 100  # the CLI's default
SHAPE = ("not_server_error", "status_code_documented", "content_type", "response_schema", "auth_enforced")


def test_the_mock_conforms(mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> None:
    outcome = run_kit(in_process(mock_app()), max_examples=150, shrink=True)
    assert outcome.exit_code == 0, text_report(outcome, "x-API-Key")
    assert all(outcome.passed[name] for name in outcome.checks), "every check judged some request"


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_each_fault_is_caught(fault: Fault, mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> None:
    app = mock_app(**fault.config)
    if fault.wrap is not None:
        app = fault.wrap(app)
    outcome = run_kit(in_process(app), max_examples=EXAMPLES_PER_FAULT, checks=sorted(fault.caught_by))
    assert outcome.error is None
    assert outcome.failures, f"{fault.name} was not caught by {sorted(fault.caught_by)}"


@pytest.fixture(scope="session")
def staging_dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(STAGING_SIZE, DATASET_SEED)


def staging_run(spec: Spec, dataset: Dataset, fault: Fault) -> Outcome:
    """The kit as a staging team runs it: no dataset, random ids unknown, the ``ci`` profile, 100 examples; the
    run stops at its first violation (``--max-failures 1``: the examples come in the same order, so it stops at
    the one a full run finds first, and a caught fault costs only the examples up to it)."""
    app = faulty_app(fault, dataset, api_keys=frozenset({API_KEY}))
    ctx = loaded_context(spec, WsgiTransport(app, API_KEY, header=spec.api_key_header), rejects_invalid_keys=True)
    options = Options(max_examples=STAGING_EXAMPLES, profile=CI_PROFILE, shrink=False, max_failures=1)
    return run(ctx, select_checks([*SHAPE, *sorted(MEANING)]), options)


def test_the_correct_mock_passes_the_staging_checks(spec: Spec, staging_dataset: Dataset) -> None:
    """The paired control of every engine fault: the same checks and options, the correct engine."""
    outcome = staging_run(spec, staging_dataset, Fault("correct", frozenset()))
    assert outcome.exit_code == 0, text_report(outcome, "x-API-Key")
    assert all(outcome.passed[name] for name in MEANING), "every meaning check judged some request"


@pytest.mark.parametrize("fault", ENGINE_FAULTS, ids=[fault.name for fault in ENGINE_FAULTS])
def test_each_consistent_fault_is_caught_without_the_data(spec: Spec, staging_dataset: Dataset, fault: Fault) -> None:
    outcome = staging_run(spec, staging_dataset, fault)
    assert outcome.error is None
    caught_by = {failure.check for failure in outcome.failures} & fault.caught_by
    assert caught_by, f"{fault.name} was not caught by a meaning check: {text_report(outcome, 'x-API-Key')}"
