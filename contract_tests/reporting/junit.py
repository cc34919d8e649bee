"""The JUnit XML report for CI servers: one ``testcase`` per check, a ``failure`` per distinct violation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.reporting.redaction import Secret, redact
from contract_tests.reporting.text import coverage, describe
from contract_tests.running.records import Failure, Outcome


def write_junit(outcome: Outcome, path: Path, header: str, secret: Secret = None) -> None:
    """One ``testcase`` per check, with a ``failure`` per distinct violation it found (key redacted)."""
    failures_by_check: dict[str, list[Failure]] = {}
    for failure in outcome.failures:
        failures_by_check.setdefault(failure.check, []).append(failure)
    suite = ET.Element(
        "testsuite",
        name="contract-tests",
        tests=str(len(outcome.checks)),
        failures=str(len(failures_by_check)),
        errors="1" if outcome.error else "0",
    )
    for name in outcome.checks:
        case = ET.SubElement(suite, "testcase", classname="contract_tests", name=name)
        found = failures_by_check.get(name, [])
        if found:
            text = "\n\n".join(describe(failure, header) for failure in found)
            message = found[0].violation.summary
            ET.SubElement(case, "failure", message=redact(message, secret)).text = redact(text, secret)
        elif not outcome.passed[name]:
            ET.SubElement(case, "skipped", message=f"no generated request was one that {name} judges")
    if outcome.error:
        error_case = ET.SubElement(suite, "testcase", classname="contract_tests", name="connection")
        ET.SubElement(error_case, "error", message=redact(outcome.error, secret))
    ET.SubElement(suite, "system-out").text = redact(coverage(outcome), secret)  # what was covered, or not
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
