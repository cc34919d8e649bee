"""Reports people read: the HTML file in headless Chromium, the JSON file, the GitHub Actions step summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from contract_tests.cli import main
from selftest.faults import FAULTS
from tests.contract_tests.browser import chromium
from tests.contract_tests.conftest import API_KEY, serving

pytestmark = pytest.mark.slow


def _faulty_run(mock_app: Callable[..., Any], report: Path, *extra: str, env: dict[str, str] | None = None) -> Any:
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


def test_the_json_report_and_the_step_summary_say_what_failed(tmp_path: Path, mock_app: Callable[..., Any]) -> None:
    report, summary = tmp_path / "report.json", tmp_path / "summary.md"
    result = _faulty_run(mock_app, report, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1, result.output
    document = orjson.loads(report.read_bytes())
    assert document["conforms"] is False and document["verdict"].startswith("1 contract violation(s)")
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


def test_the_html_report_renders_offline_with_every_failure(tmp_path: Path, mock_app: Callable[..., Any]) -> None:
    report = tmp_path / "report.html"
    assert _faulty_run(mock_app, report).exit_code == 1
    text = report.read_text()
    assert "default-src 'none'" in text and "<link" not in text and "src=" not in text
    with chromium(tmp_path / "profile") as browser:
        browser.get(report.as_uri())
        verdict = browser.find_element(By.ID, "verdict").text
        failures = browser.find_elements(By.CSS_SELECTOR, "section.failure")
        failing_row = browser.find_element(By.CSS_SELECTOR, "#checks tr.failed").text
        details = failures[0].text
        button = failures[0].find_element(By.CSS_SELECTOR, "button.copy")
        button.click()
        WebDriverWait(browser, 10).until(lambda _: button.text == "Copied")  # the inline script ran under the CSP
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        browser.save_screenshot(str(tmp_path / "report.png"))
    assert verdict.startswith("1 contract violation(s)")
    assert len(failures) == 1 and failing_row.startswith("response_schema")
    assert "expected" in details and "$[0].number" in details and "curl -sS -i" in details
    assert "x-API-Key: $API_KEY" in details and '"number": "' in details  # the request and the trimmed answer
    assert fetched == [], f"the report fetched {fetched}"


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_the_plugin_writes_one_report_of_every_check(
    workers: list[str],
    pytester: pytest.Pytester,
    mock_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    report, summary = tmp_path / "plugin.json", tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-report", str(report)),
            *(
                "--contract-checks",
                "response_schema,content_type,status_code_documented",
                "--contract-max-examples",
                "10",
            ),
            *("--contract-profile", "ci", "-p", "no:cacheprovider", *workers),
        )
    result.assert_outcomes(passed=2, failed=1)
    document = orjson.loads(report.read_bytes())
    assert sorted(check["name"] for check in document["checks"]) == [
        "content_type",
        "response_schema",
        "status_code_documented",
    ]
    assert [failure["check"] for failure in document["failures"]] == ["response_schema"]
    assert document["failures"][0]["exchange"]["status"] == 200
    assert "| `content_type` |" in summary.read_text()
    assert API_KEY not in report.read_text() + summary.read_text()
