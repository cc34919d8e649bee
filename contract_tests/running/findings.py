"""The findings a run keeps: one failure per check and kind of violation, the simplest request that shows it."""

from __future__ import annotations

from collections.abc import Iterable

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.running.records import Failure, Outcome


def record_found(
    outcome: Outcome, ctx: Context, case: Case, violations: Iterable[tuple[str, ContractViolation]]
) -> None:
    """Keep every violation of a request as found (the smoke requests, which are not shrunk)."""
    for name, violation in violations:
        outcome.failures.append(Failure(name, violation, ctx.url(case.query), case.credentials, ctx.shown_headers))


def record_final(outcome: Outcome, ctx: Context, violations: Iterable[ContractViolation]) -> None:
    """Keep one failure per check and kind of violation: the simplest request found in any area.

    Each area shrinks within itself, and an area whose focus is ``generalField`` always sends one; the
    same violation found by another area with fewer parameters is the better reproduction.
    """
    for violation in violations:
        name, case = violation.check, violation.case
        failure = Failure(name, violation, ctx.url(case.query), case.credentials, ctx.shown_headers)
        same = [index for index, known in enumerate(outcome.failures) if same_finding(known, failure)]
        if not same:
            outcome.failures.append(failure)
        elif simplicity(failure) < simplicity(outcome.failures[same[0]]):
            outcome.failures[same[0]] = failure


def same_finding(first: Failure, second: Failure) -> bool:
    """Whether two failures are one finding: the same check, the same kind of violation."""
    return first.check == second.check and type(first.violation) is type(second.violation)


def simplicity(failure: Failure) -> tuple[int, int]:
    """Fewer query parameters first, then a shorter URL."""
    case = failure.violation.case
    return (len(case.query) if case is not None else 0), len(failure.url)
