"""Outcomes as plain data, to cross a process boundary (gunicorn workers, pytest-xdist workers), and merged
back into one outcome for the reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from functools import cache
from typing import Any

from contract_tests.judging.budget import Confirming
from contract_tests.judging.failures import ContractViolation
from contract_tests.reporting.exchange import Exchange, failure_exchange
from contract_tests.reporting.redaction import Secret
from contract_tests.running.records import Failure, Minimizing, Outcome


def plain_outcome(outcome: Outcome, header: str, secret: Secret = None) -> dict[str, Any]:
    """An outcome as plain data, to cross a process boundary (gunicorn workers, pytest-xdist workers)."""
    return {
        "operation": outcome.operation,
        "per_operation": [plain_outcome(part, header, secret) for part in outcome.per_operation],
        "checks": list(outcome.checks),
        "examples": outcome.examples,
        "error": outcome.error,
        "passed": dict(outcome.passed),
        "failed": dict(outcome.failed),
        "unsettled": dict(outcome.unsettled),
        "run": {
            "seed": outcome.seed,
            "started_at": outcome.started_at,
            "spec_version": outcome.spec_version,
            "command": outcome.command,
            "seconds": outcome.seconds,
            "unit": outcome.unit,
        },
        "minimizing": asdict(outcome.minimizing),
        "confirming": asdict(outcome.confirming),
        "failures": [
            {
                "check": failure.check,
                "summary": failure.violation.summary,
                "expected": failure.violation.expected,
                "actual": failure.violation.actual,
                "path": failure.violation.path,
                "url": failure.url,
                "credentials": failure.credentials,
                "headers": [list(pair) for pair in failure.headers],
                "operation": failure.operation,
                "exchange": failure_exchange(failure, header, secret),
            }
            for failure in outcome.failures
        ],
    }


def outcome_of(plain: dict[str, Any]) -> Outcome:
    """The outcome ``plain_outcome`` wrote; each violation keeps its wording, its answer is an ``Exchange``."""
    failures = []
    for each in plain["failures"]:
        violation = _reported(each["summary"])(each["expected"], each["actual"], each["path"])
        violation.check = each["check"]
        if each["exchange"] is not None:
            violation.response = Exchange(**each["exchange"])
        headers = tuple((name, value) for name, value in each.get("headers", ()))
        operation = each.get("operation", "")
        failures.append(Failure(each["check"], violation, each["url"], each["credentials"], headers, operation))
    return Outcome(
        operation=plain.get("operation", ""),
        per_operation=[outcome_of(part) for part in plain.get("per_operation", [])],
        checks=tuple(plain["checks"]),
        passed=Counter(plain["passed"]),
        failed=Counter(plain["failed"]),
        failures=failures,
        examples=plain["examples"],
        error=plain["error"],
        unsettled=Counter(plain.get("unsettled", {})),
        minimizing=Minimizing(**plain.get("minimizing", {})),
        confirming=Confirming(**plain.get("confirming", {})),
        **plain.get("run", {}),
    )


@cache
def _reported(summary: str) -> type[ContractViolation]:
    """A violation class with the wording of one that lived in another process."""
    return type("ReportedViolation", (ContractViolation,), {"summary": summary})


def merged(outcomes: Sequence[Outcome], *, checks: Sequence[str] | None = None) -> Outcome:
    """Several outcomes as one: counts summed, failures and checks in order (``checks``: the table's rows).

    Outcomes of different operations are kept as the merged outcome's ``per_operation`` (one table each, the
    same operation's outcomes merged into one)."""
    outcomes = [part for outcome in outcomes for part in outcome.sections]  # an outcome of several: its parts
    operations = list(dict.fromkeys(outcome.operation for outcome in outcomes))
    total = Outcome(checks=tuple(checks) if checks is not None else ())
    if len(operations) > 1:
        parts = [[each for each in outcomes if each.operation == operation] for operation in operations]
        total.per_operation = [merged(part) for part in parts]
    elif operations:
        total.operation = operations[0]
    for outcome in outcomes:
        if checks is None:
            total.checks += tuple(name for name in outcome.checks if name not in total.checks)
        total.examples += outcome.examples
        total.passed.update(outcome.passed)
        total.failed.update(outcome.failed)
        total.failures += outcome.failures
        total.error = total.error or outcome.error
        total.unsettled.update(outcome.unsettled)
        _add_minimizing(total.minimizing, outcome.minimizing)
        for name, value in asdict(outcome.confirming).items():
            setattr(total.confirming, name, getattr(total.confirming, name) + value)
        total.seconds += outcome.seconds
    first = outcomes[0] if outcomes else Outcome()
    total.seed, total.started_at, total.spec_version = first.seed, first.started_at, first.spec_version
    total.command, total.unit = first.command, first.unit
    return total


def _add_minimizing(total: Minimizing, part: Minimizing) -> None:
    total.failures += part.failures
    total.examples += part.examples
    total.requests += part.requests
    total.seconds += part.seconds
    total.limits += [limit for limit in part.limits if limit not in total.limits]
