"""The JSON report, and the one document every file report is drawn from (``report_document``): the verdict, the
run's facts (duration, seed, timestamp, kit and spec versions, the command that repeats it), the table of checks
(per operation, failing first, each with its description), what was covered and not generated, the unsettled
count, minimizing, and every failure with expected/got/JSON path, its request and answer, and the curl that
reproduces it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import orjson

from contract_tests.reporting import summary
from contract_tests.reporting.curl import curl
from contract_tests.reporting.exchange import failure_exchange
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.running.records import Failure, Outcome


def report_document(outcome: Outcome, header: str, secret: Secret = None, *, title: str = "") -> dict[str, Any]:
    """Everything a report says, as plain data (the JSON report is exactly this)."""
    document = {
        "title": title or "contract-tests report",
        "verdict": summary.verdict(outcome),
        "conforms": outcome.exit_code == 0,
        "exit_code": outcome.exit_code,
        "error": outcome.error,
        "run": _run(outcome),
        "operations": [part.operation for part in outcome.sections],
        "checks": [_check(row, part.operation) for part in outcome.sections for row in summary.check_rows(part)],
        "coverage": _coverage(outcome),
        "unsettled": {
            "total": sum(outcome.unsettled.values()),
            "by_check": {name: outcome.unsettled[name] for name in outcome.checks},
            "meaning": summary.UNSETTLED,
            "line": summary.unsettled(outcome),
            "confirming": asdict(outcome.confirming),
        },
        "minimizing": _minimizing(outcome),
        "failures": [_failure(failure, header, secret) for failure in outcome.failures],
    }
    return orjson.loads(redact(orjson.dumps(document).decode(), secret))


def _run(outcome: Outcome) -> dict[str, Any]:
    return {
        "started_at": outcome.started_at,
        "duration_s": round(outcome.seconds, 3),
        "seed": outcome.seed,
        "seed_line": summary.seed(outcome),
        "command": outcome.command,
        "kit_version": summary.kit_version(),
        "spec_version": outcome.spec_version,
        "examples": outcome.examples,
        "http_requests": outcome.traffic.requests,
    }


def _check(row: summary.CheckRow, operation: str) -> dict[str, Any]:
    return {
        "operation": operation,
        "name": row.name,
        "description": row.description,
        "judged": row.judged,
        "passed": row.passed,
        "failed": row.failed,
        "unsettled": row.unsettled,
        "result": row.result,
    }


def _coverage(outcome: Outcome) -> dict[str, Any]:
    return {
        "line": summary.covered(outcome),
        "areas": [
            {"name": area.name, "planned": area.planned, "generated": area.generated, "run": area.run}
            for area in outcome.areas
        ],
        "not_generated": list(outcome.gaps),
        "stopped": outcome.stopped,
        "stopped_lines": summary.stopped(outcome),
    }


def _minimizing(outcome: Outcome) -> dict[str, Any]:
    done = outcome.minimizing
    return {
        "line": summary.minimizing(outcome),
        "failures": done.failures,
        "examples": done.examples,
        "http_requests": done.requests,
        "seconds": round(done.seconds, 3),
        "limits_reached": list(done.limits),
    }


def _failure(failure: Failure, header: str, secret: Secret) -> dict[str, Any]:
    violation = failure.violation
    return {
        "operation": failure.operation,
        "check": failure.check,
        "description": summary.description(failure.check),
        "summary": violation.summary,
        "expected": violation.expected,
        "got": violation.actual,
        "path": violation.path,
        "curl": curl(failure.url, failure.credentials, header, failure.headers),
        "exchange": failure_exchange(failure, header, secret),
    }
