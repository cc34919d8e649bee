"""The GitHub Actions step summary: appended only where ``GITHUB_STEP_SUMMARY`` names a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.reporting.document import report_document
from contract_tests.reporting.step_summary import STEP_SUMMARY, append_step_summary, markdown_summary
from contract_tests.running.records import Outcome
from tests.contract_tests.reporting.conftest import one_failure


def test_the_summary_has_the_verdict_the_table_and_each_failure_with_its_curl() -> None:
    markdown = markdown_summary(report_document(one_failure(), "x-API-Key", title="run"))
    assert markdown.startswith("## ❌ run\n\n**1 contract violation(s) in 4 requests**")
    assert "| `sort_order` | 4 | 3 | 1 | failed |" in markdown
    assert "### `sort_order`: items are not in the requested order at `$[1]`" in markdown
    assert "```sh\ncurl -sS -i 'http://127.0.0.1:3000" in markdown and markdown.endswith("```\n\n")


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
