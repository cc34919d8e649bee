"""One answer judged by the selected checks: what the runner does for each example it sends and the proxy for
each answer it watches, so both count passes and tag violations alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import NOT_JUDGED, Check
from contract_tests.sending.transport import Response


@dataclass
class Judged:
    """One example's verdicts: the checks that passed and the violations found."""

    case: Case
    passed: list[str] = field(default_factory=list)
    violations: list[tuple[str, ContractViolation]] = field(default_factory=list)


def judge_response(ctx: Context, case: Case, response: Response, checks: Sequence[Check]) -> Judged:
    """Run every applicable check on one answer (sent by the kit or seen by the proxy); tag violations with it."""
    judged = Judged(case)
    for check in checks:
        if not _applies(ctx, check, case, response):
            continue
        try:
            verdict = check.run(ctx, case, response)
        except ContractViolation as violation:
            violation.check, violation.case, violation.response = check.name, case, response
            judged.violations.append((check.name, violation))
        else:
            if verdict is not NOT_JUDGED:
                judged.passed.append(check.name)
    return judged


def _applies(ctx: Context, check: Check, case: Case, response: Response) -> bool:
    return case.kind in check.kinds and (not check.needs_page or ctx.items(response) is not None)
