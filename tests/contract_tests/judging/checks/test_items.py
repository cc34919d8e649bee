"""The item by id is the list's item, an unknown id is a 404 problem: on the mock, and on answers made wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest

from contract_tests.judging.checks.items import first_difference, item_is_listed, unknown_id_not_found
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ItemViolation, NotFoundViolation
from contract_tests.judging.judge import judge_response
from contract_tests.judging.registry import CHECKS, NOT_JUDGED
from contract_tests.running import targets
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import Response, WsgiTransport
from customers_spec import Api, load_api
from customers_spec.datafile import Dataset
from tests.contract_tests.conftest import API_KEY


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


def _wrapped_item(dataset: Dataset, change: Callable[[int], bool]) -> targets.Target:
    """The item target on the example mock whose item answers get another name when ``change(n)`` for the
    n-th item answer."""
    from mockserver.app import create_app
    from mockserver.config import Config
    from tests.conftest import EXAMPLE_SPEC

    app = create_app(Config(spec=EXAMPLE_SPEC, log_requests=False, api_keys=frozenset({API_KEY})), dataset=dataset)
    seen = [0]

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        body = b"".join(app(environ, start_response))
        if environ["PATH_INFO"].count("/") == 3 and body.startswith(b"{"):  # /v2/customers/{id}
            seen[0] += 1
            if change(seen[0]):
                body = orjson.dumps({**orjson.loads(body), "name": "Renamed"})
        return [body]

    api = load_api(EXAMPLE_SPEC)
    first = loaded_context(api.lists[0], WsgiTransport(serve, API_KEY, header=api.api_key_header))
    return targets.item(api.items[0], first, first, frozenset({"item"}), 1, 1)


def test_an_item_that_differs_once_is_unsettled_and_one_that_always_differs_is_confirmed(dataset: Dataset) -> None:
    """As on a staging where someone renamed the customer between the list's read and the item's answer."""
    check = CHECKS["item_is_listed"]
    for change, unsettled in ((lambda n: n == 1, ["item_is_listed"]), (lambda n: True, [])):
        target = _wrapped_item(dataset, change)
        assert target.ctx is not None
        case = next(case for case in target.cases if case.kind == "valid")
        ctx = target.ctx.for_example()
        judged = judge_response(ctx, case, ctx.send(case), [check])
        assert judged.unsettled == unsettled
        assert [name for name, _ in judged.violations] == ([] if unsettled else ["item_is_listed"])
