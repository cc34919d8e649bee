"""The plugin's one run: verdicts per check, shared by the processes of a pytest-xdist session."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from contract_tests.judging.failures import ContractViolation
from contract_tests.plugin_run import LOCK_NAME, Verdicts, shared_verdicts, verdicts_of
from contract_tests.running.records import Failure, Outcome

SECRET = "s3cret-key"


def test_each_check_gets_its_own_failures_and_judged_count_without_the_key() -> None:
    violation = ContractViolation("a page", "two pages", "$.items")
    outcome = Outcome(
        checks=("page_size", "sort_order"),
        passed=Counter({"page_size": 3, "sort_order": 4}),
        failed=Counter({"page_size": 1}),
        failures=[Failure("page_size", violation, f"http://h/v2/customers?k={SECRET}", "key")],
    )
    verdicts = Verdicts.from_json(verdicts_of(outcome, "x-API-Key", SECRET).to_json())
    assert verdicts.judged == {"page_size": 4, "sort_order": 4}
    assert list(verdicts.failures) == ["page_size"]
    assert "expected: a page" in verdicts.failures["page_size"][0]
    assert SECRET not in verdicts.failures["page_size"][0] and "covered:" in verdicts.coverage


def test_the_first_process_runs_and_the_others_read_its_verdicts(tmp_path: Path) -> None:
    runs: list[str] = []

    def run_here() -> Verdicts:
        runs.append("ran")
        return Verdicts(judged={"page_size": 2})

    first, ran_first = shared_verdicts(tmp_path, run_here)
    second, ran_second = shared_verdicts(tmp_path, run_here)
    assert (ran_first, ran_second) == (True, False)
    assert runs == ["ran"] and second == first


def test_a_run_that_raises_still_answers_the_waiting_processes(tmp_path: Path) -> None:
    def broken() -> Verdicts:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        shared_verdicts(tmp_path, broken)
    verdicts, _ = shared_verdicts(tmp_path, broken)
    assert verdicts.error is not None and "stopped" in verdicts.error


@pytest.mark.skipif(sys.platform == "win32", reason="the owner's liveness is probed on POSIX only")
def test_a_waiting_process_stops_waiting_when_the_runner_died(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / LOCK_NAME).write_text(dead.stdout.strip())
    verdicts, ran = shared_verdicts(tmp_path, lambda: Verdicts(), poll_s=0.01)
    assert not ran and verdicts.error == "the worker running the contract checks ended without a verdict"


def test_a_run_that_could_not_judge_fails_every_item_with_the_verdict() -> None:
    moving = Outcome(examples=9, unsettled=Counter(pages_tile=6), settled=Counter(pages_tile=1))
    verdicts = verdicts_of(moving, "x-API-Key", SECRET)
    assert verdicts.error is not None and verdicts.error.startswith("COULD NOT JUDGE: 6 of 7 comparisons")
    assert verdicts_of(Outcome(examples=9), "x-API-Key", SECRET).error is None
