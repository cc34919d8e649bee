"""The JUnit XML report for CI servers: a ``testsuite`` per operation, in it one ``testcase`` per check (failing
first) with a ``failure`` per distinct violation, the run's facts as suite properties and its summary in
``system-out``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.reporting import summary
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.reporting.text import coverage, describe, repeat
from contract_tests.running.records import Failure, Outcome


def write_junit(outcome: Outcome, path: Path, header: str, secret: Secret = None) -> None:
    """A ``testsuite`` per operation (named after it), in it a ``testcase`` per check with a ``failure`` per
    distinct violation it found (secrets masked); the run's facts and summary on every suite."""
    suites = ET.Element(
        "testsuites",
        name="contract-tests",
        tests=str(sum(len(part.checks) for part in outcome.sections)),
        failures=str(len({(failure.operation, failure.check) for failure in outcome.failures})),
        errors="1" if outcome.error else "0",
        time=f"{outcome.seconds:.3f}",
    )
    out = "\n\n".join([coverage(outcome), repeat(outcome), summary.verdict(outcome)])
    for part in outcome.sections:
        suite = _suite(suites, part, header, secret)
        _properties(suite, outcome, secret)
        ET.SubElement(suite, "system-out").text = redact(out, secret)  # what was covered, or not, and how to repeat
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def _suite(suites: ET.Element, part: Outcome, header: str, secret: Secret) -> ET.Element:
    """One operation's suite: its checks as test cases, failing first."""
    failures_by_check: dict[str, list[Failure]] = {}
    for failure in part.failures:
        failures_by_check.setdefault(failure.check, []).append(failure)
    name = part.operation or "contract-tests"
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=name,
        tests=str(len(part.checks)),
        failures=str(len(failures_by_check)),
        errors="1" if part.error else "0",
        time=f"{part.seconds:.3f}",
        timestamp=part.started_at,
    )
    for row in summary.check_rows(part):
        case = ET.SubElement(suite, "testcase", classname=name, name=row.name)
        found = failures_by_check.get(row.name, [])
        if found:
            text = "\n\n".join(describe(failure, header) for failure in found)
            message = found[0].violation.summary
            ET.SubElement(case, "failure", message=redact(message, secret)).text = redact(text, secret)
        elif not row.passed:
            ET.SubElement(case, "skipped", message=f"no generated request was one that {row.name} judges")
    if part.error:
        error_case = ET.SubElement(suite, "testcase", classname=name, name="connection")
        ET.SubElement(error_case, "error", message=redact(part.error, secret))
    return suite


def _properties(suite: ET.Element, outcome: Outcome, secret: Secret) -> None:
    """The run's facts: seed, versions, the repeat command, the unsettled count."""
    properties = ET.SubElement(suite, "properties")
    facts = {
        "verdict": summary.verdict(outcome),
        "seed": summary.seed(outcome),
        "kit_version": summary.kit_version(),
        "spec_version": outcome.spec_version,
        "command": outcome.command,
        "unsettled": str(sum(outcome.unsettled.values())),
    }
    for name, value in facts.items():
        ET.SubElement(properties, "property", name=name, value=redact(value, secret))
