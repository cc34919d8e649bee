"""The kit passes the mock and catches every deliberately injected fault (``faults.FAULTS``), one test each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.context import Context
from contract_tests.report import text_report
from selftest.faults import FAULTS, Fault
from tests.contract_tests.conftest import run_kit

EXAMPLES_PER_FAULT = 150


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
