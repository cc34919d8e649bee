"""Items read again by id (the spec's id filter), and a reference patched with their current state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.judging.checks.variants import identity_rule, max_ids
from contract_tests.judging.context import Context
from contract_tests.judging.items_now import ItemsNow, id_path, patched, read_by_id
from contract_tests.sending.transport import Response
from customers_spec import Spec
from tests.contract_tests.running.test_runner import recording

UNKNOWN = "f" * 24


def test_items_are_read_by_the_spec_s_id_filter_and_a_missing_one_is_gone(
    spec: Spec, mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    rule = identity_rule(spec)
    assert rule is not None and id_path(ctx) == rule.clauses[0].path
    known = [record["_id"] for record in ctx.sample.records[:3]]
    urls = recording(ctx)
    now = read_by_id(ctx, [*known, UNKNOWN])
    assert now is not None and set(now.found) == set(known) and now.gone == (UNKNOWN,)
    assert now.found[known[0]] == ctx.sample.records[0]
    assert len(urls) == 1 and f"{rule.parameter}=" in urls[0]


def test_many_ids_are_read_in_pages_of_the_filter_s_max_items(
    spec: Spec, mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    rule = identity_rule(spec)
    assert rule is not None
    known = [record["_id"] for record in ctx.sample.records]
    unknown = [f"{n:024x}" for n in range(max_ids(spec, rule) + 5 - len(known))]
    urls = recording(ctx)
    now = read_by_id(ctx, [*known, *unknown])
    assert now is not None and set(now.found) == set(known) and set(now.gone) == set(unknown) and len(urls) == 2


def test_an_answer_with_items_not_asked_for_cannot_tell_a_removed_item(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    first = ctx.sample.records[0]["_id"]
    send = ctx.transport.send

    def ignoring_ids(url: str, credentials: Any) -> Response:
        return send(url.split("?")[0] + "?limit=2", credentials)  # an id filter the server ignores

    ctx.transport.send = ignoring_ids  # type: ignore[method-assign]
    assert read_by_id(ctx, [first, UNKNOWN]) is None


def test_a_patched_reference_has_the_items_as_they_are_now_and_keeps_the_rest(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    stale = ctx.board.reference
    records = stale.sample.records
    renamed = {**records[1], "name": "now"}
    now = ItemsNow((records[1]["_id"], records[2]["_id"]), {records[1]["_id"]: renamed})
    mended = patched(stale, now, "_id")
    assert mended.sample.records[:2] == (records[0], renamed) and mended.sample.records[2] == records[3]
    assert mended.everything is not None and len(mended.everything) == len(stale.everything or ()) - 1
    assert mended.sign == stale.sign and mended.sample.memo == {} and stale.sample.records[1] == records[1]
    assert now.digest != ItemsNow(now.asked, {records[1]["_id"]: records[1]}).digest
