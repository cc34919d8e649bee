"""JUnit XML: one testcase per check, a failure per distinct violation, what was covered, never the key."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.reporting.junit import write_junit
from contract_tests.running.records import Outcome
from tests.contract_tests.reporting.conftest import one_failure


def test_junit_has_a_testcase_per_check_and_no_key(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "junit.xml"
    write_junit(one_failure(), path, "x-API-Key", secret="Brien")  # pretend the key appeared in a URL
    suite = ET.parse(path).getroot()
    assert [case.get("name") for case in suite.findall("testcase")] == ["sort_order", "page_size", "relation_union"]
    assert (suite.findtext("system-out") or "").startswith("covered: 4 examples")
    assert suite.get("failures") == "1"
    failure = suite.find("testcase[@name='sort_order']/failure")
    assert failure is not None and "curl" in (failure.text or "")
    assert suite.find("testcase[@name='relation_union']/skipped") is not None
    assert "Brien" not in path.read_text()


def test_a_run_that_could_not_test_has_an_error_case(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    write_junit(Outcome(checks=("page_size",), error="cannot connect to http://h: connection refused"), path, "k")
    suite = ET.parse(path).getroot()
    assert suite.get("errors") == "1"
    error = suite.find("testcase[@name='connection']/error")
    assert error is not None and "connection refused" in (error.get("message") or "")


def test_junit_carries_the_run_facts_and_lists_failing_checks_first(tmp_path: Path) -> None:
    outcome = one_failure()
    outcome.checks = ("page_size", "relation_union", "sort_order")
    outcome.seed, outcome.spec_version, outcome.seconds = 8, "2.0.0", 3.5
    outcome.started_at, outcome.command = "2026-12-03T05:00:00+00:00", 'contract-tests --api-key "$API_KEY" --seed 8'
    path = tmp_path / "junit.xml"
    write_junit(outcome, path, "x-API-Key")
    suite = ET.parse(path).getroot()
    assert suite.findall("testcase")[0].get("name") == "sort_order"
    assert (suite.get("time"), suite.get("timestamp")) == ("3.500", "2026-12-03T05:00:00+00:00")
    properties = {each.get("name"): each.get("value") for each in suite.iter("property")}
    assert properties["seed"] == "8" and properties["spec_version"] == "2.0.0" and properties["unsettled"] == "0"
    assert properties["command"] == outcome.command and properties["kit_version"]
    out = suite.findtext("system-out") or ""
    assert (
        "\nunsettled: 0 of 0 comparisons (" in out
        and "\nrepeat: contract-tests" in out
        and out.endswith("in 4 examples")
    )
