"""``--report FILE``: JSON or HTML by the name's suffix, refused before the run when it is neither."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from contract_tests.cli import main
from contract_tests.reporting.report_file import check_report_path, check_report_paths, write_report, write_reports
from customers_spec.errors import KitError
from tests.contract_tests.conftest import API_KEY
from tests.contract_tests.reporting.conftest import faulty_run, one_failure


@pytest.mark.slow
def test_the_json_report_and_the_step_summary_say_what_failed(tmp_path: Path, mock_app: Callable[..., Any]) -> None:
    report, summary = tmp_path / "report.json", tmp_path / "summary.md"
    result = faulty_run(mock_app, report, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1, result.output
    document = orjson.loads(report.read_bytes())
    assert document["conforms"] is False and document["verdict"].startswith("1 contract violation in")
    checks = {check["name"]: check for check in document["checks"]}
    assert checks["response_schema"]["result"] == "failed" and checks["page_size"]["result"] == "ok"
    assert checks["page_size"]["judged"] == checks["page_size"]["passed"] > 0
    (failure,) = document["failures"]
    assert failure["check"] == "response_schema" and failure["path"] == "$[0].number"
    assert failure["curl"].endswith('-H "x-API-Key: $API_KEY"')
    exchange = failure["exchange"]
    assert exchange["request_headers"] == {"x-API-Key": "$API_KEY"} and exchange["status"] == 200
    assert exchange["response_headers"]["X-Total-Count"] and '"number": "' in exchange["body"]
    markdown = summary.read_text()
    assert markdown.startswith("## ❌ contract-tests: http://127.0.0.1:")
    assert "| `response_schema` |" in markdown and "```sh\ncurl -sS -i" in markdown
    assert API_KEY not in report.read_text() + markdown + result.output


def test_a_report_name_neither_html_nor_json_is_refused_before_the_run() -> None:
    result = CliRunner().invoke(main, ["--base-url", "http://127.0.0.1:9", "--api-key", "k", "--report", "r.txt"])
    assert result.exit_code == 2 and "--report must end in .html or .json" in result.output


def test_the_suffix_chooses_the_format(tmp_path: Path) -> None:
    for name in ("r.json", "r.html", "R.HTM"):
        write_report(one_failure(), tmp_path / "out" / name, "x-API-Key", title="t")
    assert orjson.loads((tmp_path / "out" / "r.json").read_bytes())["title"] == "t"
    assert (tmp_path / "out" / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "out" / "R.HTM").read_text().startswith("<!DOCTYPE html>")
    check_report_path(None)
    with pytest.raises(KitError, match=r"not 'r\.xml'"):
        check_report_path(Path("r.xml"))


def test_several_reports_are_written_from_one_run(tmp_path: Path) -> None:
    paths = [tmp_path / "a.html", tmp_path / "b.json", tmp_path / "c" / "d.json"]
    write_reports(one_failure(), paths, "x-API-Key", title="t")
    assert paths[0].read_text().startswith("<!DOCTYPE html>")
    assert orjson.loads(paths[1].read_bytes()) == orjson.loads(paths[2].read_bytes())
    with pytest.raises(KitError, match="given twice"):
        check_report_paths([tmp_path / "a.json", tmp_path / "." / "a.json"])
