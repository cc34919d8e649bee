"""A disagreement between answers is reported only when it reproduces; one that does not is unsettled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.budget import ConfirmingBudget
from contract_tests.judging.checks.variants import identity_rule
from contract_tests.judging.confirmation import ATTEMPTS
from contract_tests.judging.context import Context
from contract_tests.judging.failures import TotalsViolation, WitnessViolation
from contract_tests.judging.items_now import read_by_id
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
    assert not judged.unsettled and len(runs) == 2, "the sign holds every item and stood still: once is enough"
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
    assert ctx.confirming.record.windows == ctx.confirming.record.moved == ATTEMPTS
    assert ctx.confirming.record.undecided == 1


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


def naming(spec: Spec, pick: Callable[[Context], dict[str, Any]]) -> tuple[Check, list[dict[str, Any]]]:
    """A check that judges one item of the reference (``pick``) as a witness check does: it raises, naming
    the item, unless the item as the reference has it is named ``"renamed"``; ``seen``: the item, per run."""
    seen: list[dict[str, Any]] = []

    def compare(ctx: Context, case: Case, response: Response) -> Verdict | None:
        ctx.send(FOLLOW_UP)
        item = pick(ctx)
        seen.append(item)
        if item["name"] != "renamed":
            raise WitnessViolation("the item found", "not found", about=(item["_id"],))
        return None

    return Check("named", compare, frozenset({"valid"}), needs_page=True, follow_ups=True), seen


def blind(ctx: Context) -> None:
    """The sign of change as it was read at the start, whatever is written since: a write it cannot see."""
    page = ctx.sign_now()
    ctx.sign_now = lambda: page  # type: ignore[method-assign]


def test_a_disagreement_its_items_current_state_explains_is_unsettled_though_the_sign_stood_still(
    spec: Spec, dataset: Dataset
) -> None:
    ctx, app = churning_context(spec, dataset)
    blind(ctx)
    target = ctx.everything[3] if ctx.everything else {}
    check, seen = naming(spec, lambda view: next(i for i in view.everything or () if i["_id"] == target["_id"]))
    urls = recording(ctx)
    app.store.put({**target, "name": "renamed"})  # after the reference was read: it is stale, and looks fresh
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert judged.unsettled == ["named"] and not judged.violations
    assert [each["name"] for each in seen] == [target["name"], "renamed"], "judged again by its current state"
    rule = identity_rule(spec)
    assert rule is not None
    by_id = [url for url in urls if f"{rule.parameter}={target['_id']}" in url]
    assert len(by_id) == 2, "read by id before and after asking again"
    assert next(i for i in ctx.everything or () if i["_id"] == target["_id"])["name"] == "renamed", "mended"


def test_a_disagreement_about_an_item_that_no_longer_exists_is_unsettled(spec: Spec, dataset: Dataset) -> None:
    ctx, app = churning_context(spec, dataset)
    blind(ctx)
    target = (ctx.everything or [])[5]
    check, seen = naming(spec, lambda view: target)
    app.store.remove(target["_id"])
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert judged.unsettled == ["named"] and len(seen) == 1 and ctx.confirming.record.gone == 1
    assert all(each["_id"] != target["_id"] for each in ctx.everything or ()), "left out of the reference"


def test_a_consistent_fault_about_the_same_items_is_confirmed_though_the_data_moved_elsewhere(
    spec: Spec, dataset: Dataset
) -> None:
    """The items judged first are asked about again (a refreshed sample would pick others)."""
    ctx, app = churning_context(spec, dataset)
    ctx.page_limit = 10  # the sign's first page holds 10 items: writes past them it cannot see
    first = [record["_id"] for record in ctx.sample.records[:3]]
    check, seen = naming(spec, lambda view: view.sample.records[0])
    for _ in range(3):
        app.writer.write()  # the sign moves: today's reading would have been replaced before judging again
    app.store.remove(first[1])
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert [name for name, _ in judged.violations] == ["named"]
    assert {each["_id"] for each in seen} == {first[0]} and len(seen) == 3, "the same item, in two still windows"
    assert ctx.confirming.record.windows == 2


def test_without_an_id_filter_the_sign_alone_judges(spec: Spec, dataset: Dataset) -> None:
    rule = identity_rule(spec)
    assert rule is not None
    bare = replace(spec, filters={name: each for name, each in spec.filters.items() if each != rule})
    ctx, _ = churning_context(bare, dataset)
    assert read_by_id(ctx, ["a" * 24]) is None
    target = (ctx.everything or [])[3]
    check, seen = naming(bare, lambda view: target)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert [name for name, _ in judged.violations] == ["named"] and len(seen) == 2
    assert ctx.confirming.record.by_sign_alone == 1, "said in the reports"


def test_no_disagreement_is_asked_again_once_confirming_has_spent_its_budget(spec: Spec, dataset: Dataset) -> None:
    ctx, _ = churning_context(spec, dataset)
    ctx.confirming = ConfirmingBudget(seconds=0.0)
    check, runs = comparing(lambda _: True)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert judged.unsettled == ["compare"] and runs == [0] and ctx.confirming.record.unasked == 1


def test_a_consistent_fault_is_confirmed_while_the_sign_moves_elsewhere_on_the_same_answers_twice(
    spec: Spec, dataset: Dataset
) -> None:
    """The sign is the first test, never the proof: writes it sees elsewhere leave the named item and the
    disputed answers alike, so the fault is judged in those windows all the same."""
    ctx, app = churning_context(spec, dataset)
    target = (ctx.everything or [])[3]
    other = next(each for each in ctx.everything or () if each["status"]["status"] not in (1, 2))
    send, renames = ctx.transport.send, [0]

    def write_meanwhile(url: str, credentials: Any) -> Response:
        if url == ctx.url(FOLLOW_UP.query):
            renames[0] += 1
            app.store.put({**other, "name": f"renamed {renames[0]}"})  # in no disputed answer: the sign sees it
        return send(url, credentials)

    ctx.transport.send = write_meanwhile  # type: ignore[method-assign]
    check, seen = naming(spec, lambda view: target)
    judged = judge_response(ctx, CASE, ctx.send(CASE), [check])
    assert [name for name, _ in judged.violations] == ["named"] and len(seen) == 3
    assert ctx.confirming.record.moved == ctx.confirming.record.windows == 2
