"""The JUnit XML report for CI servers: one ``testcase`` per check (failing first), a ``failure`` per distinct
violation, the run's facts as suite properties and its summary in ``system-out``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.reporting import summary
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.reporting.text import coverage, describe, repeat
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
        time=f"{outcome.seconds:.3f}",
        timestamp=outcome.started_at,
    )
    _properties(suite, outcome, secret)
    for row in summary.check_rows(outcome):
        case = ET.SubElement(suite, "testcase", classname="contract_tests", name=row.name)
        found = failures_by_check.get(row.name, [])
        if found:
            text = "\n\n".join(describe(failure, header) for failure in found)
            message = found[0].violation.summary
            ET.SubElement(case, "failure", message=redact(message, secret)).text = redact(text, secret)
        elif not row.passed:
            ET.SubElement(case, "skipped", message=f"no generated request was one that {row.name} judges")
    if outcome.error:
        error_case = ET.SubElement(suite, "testcase", classname="contract_tests", name="connection")
        ET.SubElement(error_case, "error", message=redact(outcome.error, secret))
    out = "\n\n".join([coverage(outcome), repeat(outcome), summary.verdict(outcome)])
    ET.SubElement(suite, "system-out").text = redact(out, secret)  # what was covered, or not, and how to repeat
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


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
