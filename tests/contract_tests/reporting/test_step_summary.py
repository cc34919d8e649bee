"""The GitHub Actions step summary: appended only where ``GITHUB_STEP_SUMMARY`` names a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.reporting.document import report_document
from contract_tests.reporting.step_summary import STEP_SUMMARY, append_step_summary, markdown_summary
from contract_tests.running.records import Outcome
from tests.contract_tests.reporting.conftest import one_failure


def test_the_summary_has_the_verdict_the_table_and_each_failure_with_its_curl() -> None:
    outcome = one_failure()
    outcome.seed, outcome.spec_version, outcome.command = 5, "2.0.0", "contract-tests --base-url http://h --seed 5"
    outcome.gaps = ["filter objectIds: no id in objects is known"]
    markdown = markdown_summary(report_document(outcome, "x-API-Key", title="run"))
    assert markdown.startswith("## ❌ run\n\n**1 contract violation in 4 examples**")
    assert "seed 5; kit " in markdown and ", spec 2.0.0" in markdown
    assert (
        "| `sort_order` | Items follow the requested sort keys" in markdown and "| 4 | 3 | 1 | 0 | failed |" in markdown
    )
    assert "### `sort_order`: items are not in the requested order at `$[1]`" in markdown
    assert "```sh\ncurl -sS -i 'http://127.0.0.1:3000" in markdown
    assert markdown.index("### `sort_order`") < markdown.index("| check |"), "failures first"
    assert (
        "- unsettled: 0 of 0 comparisons (" in markdown
        and "- not generated (so not judged): filter objectIds" in markdown
    )
    assert markdown.endswith("```sh\ncontract-tests --base-url http://h --seed 5\n```\n\n")


def test_table_cells_keep_their_pipes_and_lines_escaped() -> None:
    outcome = one_failure()
    outcome.failures[0].violation.actual = "a | b\nc"
    assert "- got: a \\| b c" in markdown_summary(report_document(outcome, "x-API-Key"))


def test_it_is_appended_only_in_github_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STEP_SUMMARY, raising=False)
    assert append_step_summary(Outcome(examples=1), "x-API-Key") is False
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n")
    monkeypatch.setenv(STEP_SUMMARY, str(target))
    assert append_step_summary(Outcome(examples=1), "x-API-Key", title="run") is True
    assert target.read_text().startswith("earlier step\n## ✅ run")
