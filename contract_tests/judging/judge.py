"""One answer judged by the selected checks: what the runner does for each example it sends and the proxy for
each answer it watches, so both count passes and tag violations alike. A check that compares answers reports
only a violation that reproduces (``confirmation``); one that does not is unsettled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from contract_tests.generation.cases import Case
from contract_tests.judging.confirmation import confirmed
from contract_tests.judging.context import Context, Sent
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import NOT_JUDGED, Check
from contract_tests.sending.transport import Response


@dataclass
class Judged:
    """One example's verdicts: the checks that passed, the violations found, and of the checks that compare
    answers, those that settled (passed, or failed again when asked again) and those that did not."""

    case: Case
    passed: list[str] = field(default_factory=list)
    violations: list[tuple[str, ContractViolation]] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)


def judge_response(ctx: Context, case: Case, response: Response, checks: Sequence[Check]) -> Judged:
    """Run every applicable check on one answer (sent by the kit or seen by the proxy); tag violations with it."""
    judged = Judged(case)
    for check in checks:
        if not _applies(ctx, check, case, response):
            continue
        view = ctx.recording() if check.follow_ups else ctx
        try:
            verdict = check.run(view, case, response)
        except ContractViolation as violation:
            _violated(ctx, check, judged, (violation, response), view.sent if check.follow_ups else None)
        else:
            if verdict is not NOT_JUDGED:
                judged.passed.append(check.name)
                if check.follow_ups:
                    judged.settled.append(check.name)
    return judged


def _violated(
    ctx: Context, check: Check, judged: Judged, found: tuple[ContractViolation, Response], sent: list[Sent] | None
) -> None:
    """Keep a violation; one of a check that compares answers only when it reproduces, else count it unsettled."""
    (violation, response), case = found, judged.case
    if sent is not None:
        again = confirmed(ctx, check, case, sent, violation)
        if again is None:
            judged.unsettled.append(check.name)
            return
        violation, response = again.violation, again.response
        judged.settled.append(check.name)
    violation.check, violation.case = check.name, case
    violation.response = response
    judged.violations.append((check.name, violation))


def _applies(ctx: Context, check: Check, case: Case, response: Response) -> bool:
    return case.kind in check.kinds and (not check.needs_page or ctx.items(response) is not None)
