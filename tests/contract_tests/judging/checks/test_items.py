"""The item by id is the list's item, an unknown id is a 404 problem: on the mock, and on answers made wrong."""

from __future__ import annotations

import orjson
import pytest

from contract_tests.judging.checks.items import first_difference, item_is_listed, unknown_id_not_found
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ItemViolation, NotFoundViolation
from contract_tests.judging.registry import NOT_JUDGED
from contract_tests.running import targets
from contract_tests.sending.transport import Response
from customers_spec import Api


def _item(example: tuple[Api, Context]) -> targets.Target:
    api, first = example
    return targets.item(api.items[0], first, first, frozenset({"item"}), 1, 5)


def _changed(response: Response, **fields: object) -> Response:
    body = {**response.json, **fields}
    return Response(response.url, response.status, response.headers, orjson.dumps(body))


def test_the_mocks_item_is_the_lists(example: tuple[Api, Context]) -> None:
    target = _item(example)
    assert target.ctx is not None
    valid = [case for case in target.cases if case.kind == "valid"]
    assert len(valid) == 5
    for case in valid:
        assert item_is_listed(target.ctx, case, target.ctx.send(case)) is None
    unknown = next(case for case in target.cases if case.kind == "unknown")
    assert unknown_id_not_found(target.ctx, unknown, target.ctx.send(unknown)) is None


def test_an_item_other_than_the_lists_is_caught_where_it_differs(example: tuple[Api, Context]) -> None:
    target = _item(example)
    assert target.ctx is not None
    case = next(case for case in target.cases if case.kind == "valid")
    response = _changed(target.ctx.send(case), name="Someone Else")
    with pytest.raises(ItemViolation) as caught:
        item_is_listed(target.ctx, case, response)
    assert caught.value.path == "$.name" and caught.value.requests, "the list's request is named, to repeat it"


def test_an_unknown_id_answered_200_is_caught(example: tuple[Api, Context]) -> None:
    target = _item(example)
    assert target.ctx is not None
    known = next(case for case in target.cases if case.kind == "valid")
    unknown = next(case for case in target.cases if case.kind == "unknown")
    with pytest.raises(NotFoundViolation, match="404 for the unknown id"):
        unknown_id_not_found(target.ctx, unknown, target.ctx.send(known))
    assert unknown_id_not_found(example[1], unknown, target.ctx.send(known)) is NOT_JUDGED, "no item: not judged"


def test_the_first_difference_between_json_values() -> None:
    assert first_difference({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}) is None, "keys in any order"
    assert first_difference({"a": 1}, {"a": 1.0}) == ("$.a", "1", "1.0"), "a number written otherwise"
    assert first_difference({"a": {"b": 1}}, {"a": {}}) == ("$.a.b", "b = 1", "no such field")
    assert first_difference({"a": [1]}, {"a": [1, 2]}) == ("$.a", "[1]", "[1,2]")
