"""Meaning checks, decided by the oracle: filters hold, results are complete, ordered, sized by limit, repeatable."""

from __future__ import annotations

import orjson
import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.meaning import (
    deterministic,
    filters_complete,
    filters_hold,
    page_size,
    shown,
    sort_order,
    written,
)
from contract_tests.judging.context import Context
from contract_tests.judging.failures import FilterViolation, IncompleteResult, OrderViolation, PageSizeViolation
from contract_tests.judging.registry import NOT_JUDGED
from contract_tests.sending.transport import Response
from customers_spec import SortKey
from customers_spec.terms import filter_condition


def _status_case(ctx: Context) -> Case:
    condition = filter_condition(ctx.spec.filters["status"], "1,2")
    return Case("valid", (("status", "1,2"), ("sort", "name:-1")), (condition,), sort=(SortKey("name", True),))


def test_the_mocks_answer_means_what_the_request_says(ctx: Context) -> None:
    case = _status_case(ctx)
    page = ctx.send(case)
    for check in (filters_hold, filters_complete, page_size, sort_order, deterministic):
        assert check(ctx.for_example(), case, page) is None, check.__name__


def test_an_item_outside_the_filter_an_order_broken_a_page_too_long(ctx: Context) -> None:
    case = _status_case(ctx)
    page = ctx.send(case)
    items = orjson.loads(page.body)
    outsider = next(item for item in ctx.everything or () if item["status"]["status"] not in (1, 2))
    with pytest.raises(FilterViolation, match="expected only items with status=1,2"):
        filters_hold(ctx, case, Response(page.url, 200, page.headers, orjson.dumps([*items[:1], outsider])))
    with pytest.raises(OrderViolation, match="expected order name:-1,_id:1") as raised:
        sort_order(ctx, case, Response(page.url, 200, page.headers, orjson.dumps(items[::-1])))
    assert raised.value.path == "$[1]"
    short = Response(page.url, 200, page.headers, orjson.dumps(items[:-1]))
    with pytest.raises(PageSizeViolation):
        page_size(ctx, case, short)
    assert sort_order(ctx, case, Response(page.url, 200, page.headers, orjson.dumps(items[:1]))) is NOT_JUDGED


def test_a_result_missing_an_item_is_incomplete(ctx: Context) -> None:
    case = _status_case(ctx)
    view = ctx.for_example()
    result = view.collect(case, IncompleteResult)
    assert result is not None
    view._collected[case.with_params(limit=None, offset=None).query] = result[1:]
    with pytest.raises(IncompleteResult, match="in the result, as it satisfies status=1,2"):
        filters_complete(view, case, ctx.send(case))
    assert filters_complete(ctx, Case("valid"), ctx.send(Case("valid"))) is NOT_JUDGED, "no filter to complete"


def test_messages_show_the_filter_as_written_and_items_by_their_id(ctx: Context) -> None:
    case = _status_case(ctx)
    assert written(case, case.conditions[0]) == "status=1,2"
    assert shown({"_id": "x", "name": "A"}, ["name", "name", "number"], "_id") == "item x (name='A', number=None)"
    assert shown({"id": 7, "name": "A"}, ["name"], "id") == "item 7 (name='A')", "the collection's id field"
