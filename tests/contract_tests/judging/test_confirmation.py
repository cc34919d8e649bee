"""A disagreement between answers is reported only when it reproduces; one that does not is unsettled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.confirmation import ATTEMPTS
from contract_tests.judging.context import Context
from contract_tests.judging.failures import TotalsViolation
from contract_tests.judging.judge import judge_response
from contract_tests.judging.reference import sign_of
from contract_tests.judging.registry import Check, Verdict
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import Response, WsgiTransport
from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.churn import churning_app
from selftest.kit_setup import API_KEY
from tests.contract_tests.running.test_runner import recording

CASE = Case("valid", (("status", "1"),))
FOLLOW_UP = Case("valid", (("status", "2"),))


def comparing(disagrees: Callable[[int], bool]) -> tuple[Check, list[int]]:
    """A check that sends one follow-up and disagrees on its ``n``-th run when ``disagrees(n)``."""
    runs: list[int] = []

    def compare(ctx: Context, case: Case, response: Response) -> Verdict | None:
        ctx.send(FOLLOW_UP)
        runs.append(len(runs))
        if disagrees(runs[-1]):
            raise TotalsViolation("the same total", "another")
        return None

    return Check("compare", compare, frozenset({"valid"}), needs_page=True, follow_ups=True), runs


def test_a_consistent_disagreement_is_confirmed_on_fresh_answers_asked_in_reverse(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    check, runs = comparing(lambda _: True)
    first = ctx.send(CASE)
    urls = recording(ctx)
    judged = judge_response(ctx, CASE, first, [check])
    assert [name for name, _ in judged.violations] == ["compare"] and judged.settled == ["compare"]
    assert not judged.unsettled and len(runs) == 2, "the data stood still: found again once is enough"
    ((_, violation),) = judged.violations
    assert violation.response is not first and violation.response.url == first.url, "the fresh answer"
    asked_again = [url for url in urls if url in (ctx.url(CASE.query), ctx.url(FOLLOW_UP.query))]
    assert asked_again[1:3] == [ctx.url(FOLLOW_UP.query), ctx.url(CASE.query)], "asked again in reverse"


def test_a_disagreement_that_does_not_come_back_is_unsettled_not_a_failure(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    check, runs = comparing(lambda run: run == 0)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert judged.unsettled == ["compare"] and not judged.violations and not judged.passed
    assert len(runs) == 2


def test_checks_that_read_one_answer_are_not_asked_again(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    check, runs = comparing(lambda _: True)
    alone = Check("alone", check.run, check.kinds, needs_page=True, follow_ups=False)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [alone])
    assert [name for name, _ in judged.violations] == ["alone"] and len(runs) == 1 and not judged.settled


def churning_context(spec: Spec, dataset: Dataset) -> tuple[Context, Any]:
    app = churning_app(dataset, rate=0, seed=1, api_keys=frozenset({API_KEY}))
    return loaded_context(spec, WsgiTransport(app, API_KEY, header=spec.api_key_header)), app


def test_a_disagreement_asked_again_only_while_the_data_moves_stays_unsettled(spec: Spec, dataset: Dataset) -> None:
    ctx, app = churning_context(spec, dataset)
    send = ctx.transport.send

    def write_meanwhile(url: str, credentials: Any) -> Response:
        if url == ctx.url(FOLLOW_UP.query):
            app.writer.write()  # every time the requests are asked again, the data moves between them
        return send(url, credentials)

    ctx.transport.send = write_meanwhile  # type: ignore[method-assign]
    check, runs = comparing(lambda _: True)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert judged.unsettled == ["compare"] and not judged.violations and runs == [0], "never judged again"
    assert app.writer.stats().writes == 1 + ATTEMPTS


def test_a_stale_reading_is_replaced_before_judging_again(spec: Spec, dataset: Dataset) -> None:
    """Witnesses and ``everything`` read at the start go stale on a living staging: a disagreement is judged
    again by the data as it is when asked again."""
    ctx, app = churning_context(spec, dataset)
    sign, everything = ctx.sign, ctx.everything
    for _ in range(5):
        app.writer.write()
    check, runs = comparing(lambda run: run == 0)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert judged.unsettled == ["compare"] and len(runs) == 2
    assert ctx.sign != sign and ctx.everything != everything and ctx.everything is not None
    assert ctx.sign == sign_of(ctx, ctx.sign_now()) and len(ctx.everything) == len(app.store)
