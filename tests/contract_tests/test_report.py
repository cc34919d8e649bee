"""Reports: curl commands that reproduce a request without the key, a summary table, JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from contract_tests.judging.failures import OrderViolation
from contract_tests.reporting.curl import curl
from contract_tests.reporting.junit import write_junit
from contract_tests.reporting.redaction import redact
from contract_tests.reporting.text import summary_table, text_report
from contract_tests.running.records import Failure, Outcome

URL = "http://127.0.0.1:3000/v2/customers?name=O'Brien&sort=name:1"


def outcome() -> Outcome:
    violation = OrderViolation("order name:1,_id:1", "item b before item a", "$[1]")
    return Outcome(
        checks=("sort_order", "page_size", "relation_union"),
        passed=Counter({"sort_order": 3, "page_size": 4}),
        failed=Counter({"sort_order": 1}),
        failures=[Failure("sort_order", violation, URL, "key")],
        examples=4,
    )


def test_curl_reads_the_key_from_the_environment() -> None:
    assert curl(URL, "key", "x-API-Key") == (
        "curl -sS -i 'http://127.0.0.1:3000/v2/customers?name=O'\"'\"'Brien&sort=name:1' -H \"x-API-Key: $API_KEY\""
    )
    assert curl("http://h/v2/customers", "none", "x-API-Key") == "curl -sS -i 'http://h/v2/customers'"
    assert redact("echoed s3cret twice: s3cret", "s3cret") == "echoed $API_KEY twice: $API_KEY"


def test_redaction_replaces_the_key_only_as_a_whole_token() -> None:
    assert redact("key=abcd1234; other=xabcd1234", "abcd1234") == "key=$API_KEY; other=xabcd1234"
    assert redact("1 contract violation(s) in 100 requests", "1") == "1 contract violation(s) in 100 requests"
    assert redact("run contract-tests: test failed", "test") == "run contract-tests: $API_KEY failed"


def test_the_text_report_names_check_expectation_path_and_reproduction() -> None:
    text = text_report(outcome(), "x-API-Key")
    assert "FAILED sort_order: items are not in the requested order" in text
    assert "  expected: order name:1,_id:1\n  got:      item b before item a\n  at:       $[1]" in text
    assert "1 contract violation(s) in 4 requests" in text
    table = summary_table(outcome()).splitlines()
    assert table[2].split() == ["sort_order", "3", "1", "FAILED"]
    assert table[4].split() == ["relation_union", "0", "0", "nothing", "judged"]


def test_junit_has_a_testcase_per_check_and_no_key(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "junit.xml"
    write_junit(outcome(), path, "x-API-Key", secret="Brien")  # pretend the key appeared in a URL
    suite = ET.parse(path).getroot()
    assert [case.get("name") for case in suite.findall("testcase")] == ["sort_order", "page_size", "relation_union"]
    assert (suite.findtext("system-out") or "").startswith("covered: 4 examples")
    assert suite.get("failures") == "1"
    failure = suite.find("testcase[@name='sort_order']/failure")
    assert failure is not None and "curl" in (failure.text or "")
    assert suite.find("testcase[@name='relation_union']/skipped") is not None
    assert "Brien" not in path.read_text()
