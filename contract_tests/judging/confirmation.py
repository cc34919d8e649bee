"""A violation is one that reproduces: a check that compares answers confirms a disagreement before reporting it.

On a shared staging others write while the kit runs, so two answers may disagree only because the data moved
between them. A check that sends follow-up requests (``Check.follow_ups``) compares answers; when it raises,
its requests are asked again, close together and in reverse order, between two readings of the data's sign of
change (the total and a digest of the first page); when the data stood still meanwhile, the check runs again on
those answers, judged by that reading (``Context.refresh`` replaces a stale reference: ``everything``, the
sample and its witnesses). A consistent fault raises again: that is the violation reported. A disagreement
that does not come back, or is never asked again on still data, is unsettled, counted apart and never a
failure. Checks that read one answer alone (schema, filters hold, sort
order) stay exact.

Confirming happens before any exception reaches Hypothesis, so its replays see the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context, Sent
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.reference import sign_of
from contract_tests.judging.registry import Check
from contract_tests.sending.transport import Response

ATTEMPTS = 4  # windows in which the data may move before the disagreement is left unsettled


@dataclass(frozen=True)
class Reproduced:
    """A violation found again on fresh answers, with the fresh answer to the request that shows it."""

    violation: ContractViolation
    response: Response


def confirmed(ctx: Context, check: Check, case: Case, sent: list[Sent]) -> Reproduced | None:
    """The check's violation found again on answers given while the data stood still, or None (unsettled).

    The requests are asked again between two readings of the sign of change; while the data moved between
    them, they are asked again (up to ``ATTEMPTS`` times). On still answers, judged by the reading they came
    with, a consistent fault raises again and a disagreement that came from a write does not.
    """
    for _ in range(ATTEMPTS):
        before = ctx.sign_now()
        answers = _asked_again(ctx, case, sent)
        after = ctx.sign_now()
        if sign_of(ctx, before) != sign_of(ctx, after):
            continue
        ctx.refresh(after)
        view = ctx.replaying(answers)
        again = _run_again(view, check, case)
        if not view.missed:
            return again
        sent = [*sent, *view.missed]  # the check asked what the first run had not: ask it again in the window
    return None


def _asked_again(ctx: Context, case: Case, sent: list[Sent]) -> list[tuple[Sent, Response]]:
    """The request and its follow-ups asked again, close together and in reverse order."""
    asked: list[Sent] = [(ctx.url(case.query), case.credentials), *sent]
    return [(each, ctx.transport.send(*each)) for each in reversed(asked)]


def _run_again(view: Context, check: Check, case: Case) -> Reproduced | None:
    """The check run on the answers asked again (``view`` replays them); its violation, if it raises one."""
    response = view.send(case)
    if check.needs_page and view.items(response) is None:
        return None  # no page this time: the first answer's disagreement cannot be judged again
    try:
        check.run(view, case, response)
    except ContractViolation as violation:
        return Reproduced(violation, response)
    return None
