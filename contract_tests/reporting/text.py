"""Reporting a run: each failure with a curl command that reproduces it, a summary table, JUnit XML.

The API key is never written: curl commands say ``$API_KEY``, and every text leaving the kit passes through
``redact`` in case a server echoed the key back.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.running.runner import Failure, Outcome
from contract_tests.sending.transport import WRONG_KEY

KEY_VARIABLE = "$API_KEY"


def curl(url: str, credentials: str, header: str) -> str:
    """A shell command that sends the same request; the key is read from the ``API_KEY`` variable."""
    words = ["curl", "-sS", "-i", _quoted(url)]
    if credentials == "key":
        words += ["-H", f'"{header}: {KEY_VARIABLE}"']
    elif credentials == "wrong":
        words += ["-H", _quoted(f"{header}: {WRONG_KEY}")]
    return " ".join(words)


def _quoted(text: str) -> str:
    """Always single-quoted (``shlex.quote`` leaves some URLs bare), so the command reads the same every time."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


MIN_REDACTED_LENGTH = 4


def redact(text: str, secret: str | None) -> str:
    """``text`` with each whole-token occurrence of the key replaced by ``$API_KEY``.

    Only whole tokens: a key that is also a word or a number of the report (``1``, ``ok``) must not turn the
    report into nonsense; keys shorter than ``MIN_REDACTED_LENGTH`` guard nothing and are left alone.
    """
    if not secret or len(secret) < MIN_REDACTED_LENGTH:
        return text
    token = re.compile(rf"(?<![\w-]){re.escape(secret)}(?![\w-])")
    return token.sub(lambda _: KEY_VARIABLE, text)


def describe(failure: Failure, header: str) -> str:
    """One failure: the check, what was expected and what came, where, and how to reproduce it."""
    violation = failure.violation
    lines = [
        f"{failure.check}: {violation.summary}",
        f"  expected: {violation.expected}",
        f"  got:      {violation.actual}",
    ]
    if violation.path:
        lines.append(f"  at:       {violation.path}")
    lines.append(f"  reproduce: {curl(failure.url, failure.credentials, header)}")
    lines.extend(f"  disagrees: {curl(url, failure.credentials, header)}" for url in violation.requests)
    return "\n".join(lines)


def summary_table(outcome: Outcome) -> str:
    """Check name, how many requests it judged and passed or failed, and whether it found a distinct failure."""
    failing = {failure.check for failure in outcome.failures}
    width = max([len(name) for name in outcome.checks] + [len("check")])
    rows = [f"{'check':<{width}}  {'passed':>7}  {'failed':>7}  result", "-" * (width + 26)]
    for name in outcome.checks:
        result = "FAILED" if name in failing else "ok" if outcome.passed[name] else "nothing judged"
        rows.append(f"{name:<{width}}  {outcome.passed[name]:>7}  {outcome.failed[name]:>7}  {result}")
    return "\n".join(rows)


def coverage(outcome: Outcome) -> str:
    """What the run covered: examples, areas reached, HTTP traffic and speed, retries, gaps, and a stop on time."""
    traffic = outcome.traffic
    reached = [area for area in outcome.areas if area.reached]
    per_example = traffic.requests / outcome.examples if outcome.examples else 0.0
    rate = outcome.examples / outcome.seconds if outcome.seconds else 0.0
    lines = [
        f"covered: {outcome.examples} examples in {len(reached)} of {len(outcome.areas)} areas,"
        f" {traffic.requests} HTTP requests ({per_example:.1f} per example), {outcome.seconds:.1f} s"
        f" ({rate:.1f} examples/s)"
    ]
    if traffic.retries:
        lines.append(f"retried: {traffic.retries} request(s) after 429/503 with Retry-After ({traffic.waited_s:.1f} s)")
    if outcome.stopped is not None:
        missed = [area.name for area in outcome.areas if not area.reached and area.planned]
        lines.append(f"stopped early: {outcome.stopped}; the checks judged only what is counted above")
        if missed:
            lines.append(f"  areas not reached: {', '.join(missed)}")
    if outcome.gaps:
        lines.append("not generated (so not judged):")
        lines.extend(f"  - {gap}" for gap in outcome.gaps)
    return "\n".join(lines)


def text_report(outcome: Outcome, header: str, secret: str | None = None) -> str:
    """The whole report a person reads: failures first, then the table, what was covered, a one-line verdict."""
    parts = [f"FAILED {describe(failure, header)}" for failure in outcome.failures]
    parts.append(summary_table(outcome))
    parts.append(coverage(outcome))
    parts.append(verdict(outcome))
    return redact("\n\n".join(parts), secret)


def verdict(outcome: Outcome) -> str:
    if outcome.error is not None:
        return f"COULD NOT TEST: {outcome.error}"
    early = " (stopped early)" if outcome.stopped is not None else ""
    if outcome.failures:
        return f"{len(outcome.failures)} contract violation(s) in {outcome.examples} requests{early}"
    return f"conforms: {outcome.examples} requests, no violations{early}"


def write_junit(outcome: Outcome, path: Path, header: str, secret: str | None = None) -> None:
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
