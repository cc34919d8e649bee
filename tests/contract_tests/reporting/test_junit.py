"""JUnit XML: a test suite per operation, a testcase per check, a failure per distinct violation, never the key."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.reporting.junit import write_junit
from contract_tests.running.records import Outcome
from tests.contract_tests.reporting.conftest import one_failure


def _suite(path: Path) -> ET.Element:
    """The one operation's test suite (the root holds a suite per operation)."""
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return suites[0]


def test_junit_has_a_testcase_per_check_and_no_key(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "junit.xml"
    write_junit(one_failure(), path, "x-API-Key", secret="Brien")  # pretend the key appeared in a URL
    suite = _suite(path)
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
    suite = _suite(path)
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
    suite = _suite(path)
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


def test_a_run_of_several_operations_has_a_suite_per_operation(tmp_path: Path) -> None:
    first, second = one_failure(), Outcome(checks=("item_is_listed",), operation="getCustomer (GET /v2/customers/{id})")
    first.operation = "listCustomers (GET /v2/customers)"
    second.passed["item_is_listed"] = 3
    path = tmp_path / "junit.xml"
    write_junit(Outcome(per_operation=[first, second], checks=first.checks), path, "x-API-Key")
    suites = ET.parse(path).getroot().findall("testsuite")
    assert [suite.get("name") for suite in suites] == [first.operation, second.operation]
    assert [case.get("classname") for case in suites[1].findall("testcase")] == [second.operation]
    assert suites[0].find("testcase[@name='sort_order']/failure") is not None
    assert suites[1].find("testcase[@name='item_is_listed']/failure") is None
