"""A violation is one that reproduces: a check that compares answers confirms a disagreement before reporting it.

On a shared staging others write while the kit runs, so two answers may disagree only because the data moved
between them. A check that sends follow-up requests (``Check.follow_ups``) compares answers; when it raises,
its requests are asked again, close together and in reverse order, and the check runs again on the fresh
answers, between two readings of the data's sign of change (``Context.refresh``, which also replaces a stale
reference: ``everything``, the sample and its witnesses). A consistent fault raises again every time: that is
the violation reported, once found again on data that stood still. A disagreement that does not come back is
unsettled, counted apart and never a failure. Checks that read one answer alone (schema, filters hold, sort
order) stay exact.

Confirming happens before any exception reaches Hypothesis, so its replays see the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context, Sent
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import Check
from contract_tests.sending.transport import Response

ATTEMPTS = 4  # windows in which the data may move before the disagreement is left unsettled


@dataclass(frozen=True)
class Reproduced:
    """A violation found again on fresh answers, with the fresh answer to the request that shows it."""

    violation: ContractViolation
    response: Response


def confirmed(ctx: Context, check: Check, case: Case, sent: list[Sent]) -> Reproduced | None:
    """The check's violation found again on data that stood still, or None: it did not (unsettled).

    Found again while the data moved (the sign read before the answers differs from the one after), it
    proves nothing: a write may disagree again. So it is asked again, up to ``ATTEMPTS`` times, each judged
    by the reading that just came. Not found again, or never on still data, it stays unsettled.
    """
    before = ctx.refresh()
    for _ in range(ATTEMPTS):
        again = _run_again(ctx, check, case, sent)
        if again is None:
            return None
        after = ctx.refresh()
        if after == before:
            return again
        before = after
    return None


def _run_again(ctx: Context, check: Check, case: Case, sent: list[Sent]) -> Reproduced | None:
    """Ask the request and its follow-ups again (reversed, close together), then run the check on those answers."""
    asked: list[Sent] = [(ctx.url(case.query), case.credentials), *sent]
    answers = [(each, ctx.transport.send(*each)) for each in reversed(asked)]
    view = ctx.replaying(answers)
    response = view.send(case)
    if check.needs_page and view.items(response) is None:
        return None  # no page this time: the first answer's disagreement cannot be judged again
    try:
        check.run(view, case, response)
    except ContractViolation as violation:
        return Reproduced(violation, response)
    return None
