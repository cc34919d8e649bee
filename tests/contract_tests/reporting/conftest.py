"""What the report tests share: a small outcome with one failure, and a CLI run against a faulty server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from contract_tests.cli import main
from contract_tests.judging.failures import OrderViolation
from contract_tests.running.records import Failure, Outcome
from selftest.faults import FAULTS
from tests.contract_tests.conftest import API_KEY, serving

URL = "http://127.0.0.1:3000/v2/customers?name=O'Brien&sort=name:1"


def one_failure() -> Outcome:
    """Three checks: one failed, one passed, one judged nothing."""
    violation = OrderViolation("order name:1,_id:1", "item b before item a", "$[1]")
    return Outcome(
        checks=("sort_order", "page_size", "relation_union"),
        passed=Counter({"sort_order": 3, "page_size": 4}),
        failed=Counter({"sort_order": 1}),
        failures=[Failure("sort_order", violation, URL, "key")],
        examples=4,
    )


def faulty_run(mock_app: Callable[..., Any], report: Path, *extra: str, env: dict[str, str] | None = None) -> Any:
    """``contract-tests`` against a server whose customer numbers are strings, writing ``report``."""
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        return CliRunner().invoke(
            main,
            [
                *("--base-url", base_url, "--api-key", API_KEY, "--checks", "response_schema,page_size"),
                *("--max-examples", "10", "--hypothesis-profile", "ci", "--report", str(report), *extra),
            ],
            env=env,
        )
