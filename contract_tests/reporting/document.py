"""The JSON report, and the one document every file report is drawn from (``report_document``): the verdict,
the table of checks with how many requests each judged, and every failure with expected/got/JSON path, its
request and answer, and the curl that reproduces it."""

from __future__ import annotations

from typing import Any

import orjson

from contract_tests.reporting.curl import curl
from contract_tests.reporting.exchange import failure_exchange
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.reporting.text import verdict
from contract_tests.running.records import Failure, Outcome


def report_document(outcome: Outcome, header: str, secret: Secret = None, *, title: str = "") -> dict[str, Any]:
    """Everything a report says, as plain data (the JSON report is exactly this)."""
    failing = {failure.check for failure in outcome.failures}
    checks = [
        {
            "name": name,
            "judged": outcome.passed[name] + outcome.failed[name],
            "passed": outcome.passed[name],
            "failed": outcome.failed[name],
            "result": "failed" if name in failing else "ok" if outcome.passed[name] else "nothing judged",
        }
        for name in outcome.checks
    ]
    document = {
        "title": title or "contract-tests report",
        "verdict": verdict(outcome),
        "conforms": outcome.exit_code == 0,
        "exit_code": outcome.exit_code,
        "requests": outcome.examples,
        "error": outcome.error,
        "checks": checks,
        "failures": [_failure(failure, header, secret) for failure in outcome.failures],
    }
    return orjson.loads(redact(orjson.dumps(document).decode(), secret))


def _failure(failure: Failure, header: str, secret: Secret) -> dict[str, Any]:
    violation = failure.violation
    return {
        "check": failure.check,
        "summary": violation.summary,
        "expected": violation.expected,
        "got": violation.actual,
        "path": violation.path,
        "curl": curl(failure.url, failure.credentials, header, failure.headers),
        "exchange": failure_exchange(failure, header, secret),
    }
