"""The HTML report: one self-contained page, checked in headless Chromium, that fetches nothing."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from contract_tests.reporting.document import report_document
from contract_tests.reporting.html_report import html_report
from tests.contract_tests.browser import chromium
from tests.contract_tests.reporting.conftest import faulty_run, one_failure


def test_the_inline_style_and_script_are_allowed_by_their_hashes_only() -> None:
    page = html_report(report_document(one_failure(), "x-API-Key", title="<run>"))
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None and policy.group(1).startswith("default-src 'none'")
    for tag in ("style", "script"):
        inline = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL)
        assert inline is not None
        digest = base64.b64encode(hashlib.sha256(inline.group(1).encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in policy.group(1)
    assert "<title>&lt;run&gt;</title>" in page and 'class="failure"' in page


@pytest.mark.slow
def test_the_html_report_renders_offline_with_every_failure(tmp_path: Path, mock_app: Callable[..., Any]) -> None:
    report = tmp_path / "report.html"
    assert faulty_run(mock_app, report).exit_code == 1
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
    assert verdict.startswith("1 contract violation in")
    assert len(failures) == 1 and failing_row.startswith("listCustomers (GET /v2/customers) response_schema")
    assert "expected" in details and "$[0].number" in details and "curl -sS -i" in details
    assert "x-API-Key: $API_KEY" in details and '"number": "' in details  # the request and the trimmed answer
    assert fetched == [], f"the report fetched {fetched}"


def test_the_page_has_the_run_facts_coverage_and_failures_before_the_table() -> None:
    outcome = one_failure()
    outcome.seed, outcome.command, outcome.spec_version = 9, "contract-tests --seed 9 --base-url 'http://h'", "2.0.0"
    outcome.gaps = ["filter objectIds: <no> id known"]
    page = html_report(report_document(outcome, "x-API-Key"))
    assert '<dl id="run">' in page and "<dt>seed</dt><dd>9</dd>" in page and "<dd>2.0.0</dd>" in page
    assert "<code>contract-tests --seed 9 --base-url &#x27;http://h&#x27;</code>" in page
    assert page.index('class="failure"') < page.index('id="checks"'), "failures first"
    assert "<td>Items follow the requested sort keys" in page and 'class="description"' in page
    assert "unsettled: 0 of 0 comparisons (" in page and "<li>filter objectIds: &lt;no&gt; id known</li>" in page
