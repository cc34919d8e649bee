"""A sub-collection is its parent's part of the collection: on the mock, and on answers made wrong."""

from __future__ import annotations

import orjson
import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.subcollections import (
    items_belong_to_parent,
    subcollection_is_filtered_list,
    unknown_parent,
)
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ParentViolation
from contract_tests.running import targets
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import Response
from customers_spec import Api


def _sub(example: tuple[Api, Context]) -> targets.Target:
    api, first = example
    spec = next(each for each in api.lists if each.parent is not None)
    operation = next(each for each in api.operations if api.list_of(each) is spec)
    flat = next(each for each in api.lists if each.collection is spec.collection and each.parent is None)
    lists = {0: first, api.lists.index(flat): loaded_context(flat, first.transport)}
    return targets.subcollection(api, spec, operation, lists, first, seed=1)


def _with_items(response: Response, items: list[dict[str, object]]) -> Response:
    return Response(response.url, response.status, response.headers, orjson.dumps(items))


def test_the_mocks_sub_collection_is_the_filtered_list(example: tuple[Api, Context]) -> None:
    target = _sub(example)
    ctx = target.ctx
    assert ctx is not None and not target.gaps
    for case in [Case("valid"), Case("valid").with_params(limit=2, offset=1), *target.cases[:-1]]:
        response = ctx.send(case)
        assert items_belong_to_parent(ctx, case, response) is None
        assert subcollection_is_filtered_list(ctx, case, response) is None
    unknown = target.cases[-1]
    assert unknown.kind == "unknown" and unknown_parent(ctx, unknown, ctx.send(unknown)) is None


def test_another_parents_item_is_caught(example: tuple[Api, Context]) -> None:
    target = _sub(example)
    ctx = target.ctx
    assert ctx is not None
    case = Case("valid")
    response = ctx.send(case)
    items = list(response.json)
    assert items, "the chosen parent has items"
    stranger = {**items[0], "customerId": "0" * 24}
    wrong = _with_items(response, [*items[:-1], stranger])
    with pytest.raises(ParentViolation, match="the path's parent"):
        items_belong_to_parent(ctx, case, wrong)
    with pytest.raises(ParentViolation, match="as the filtered list has it"):
        subcollection_is_filtered_list(ctx, case, wrong)


def test_an_unknown_parent_answered_with_items_is_caught(example: tuple[Api, Context]) -> None:
    target = _sub(example)
    ctx = target.ctx
    assert ctx is not None
    with pytest.raises(ParentViolation, match="404 for an unknown parent"):
        unknown_parent(ctx, target.cases[-1], ctx.send(Case("valid")))
