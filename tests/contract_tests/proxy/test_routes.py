"""The proxy judges every GET operation it sees: each answer's operation found by its path, read as a case."""

from __future__ import annotations

import orjson

from contract_tests.judging.context import Context
from contract_tests.judging.judge import judge_response
from contract_tests.judging.selection import select_checks
from contract_tests.proxy.judge import WatchOnly, passive_checks
from contract_tests.proxy.routes import routes
from contract_tests.sending.transport import Response
from customers_spec import Api


def test_every_get_operation_has_a_route_with_the_passive_checks_of_its_kind(example: tuple[Api, Context]) -> None:
    api, _ = example
    found = routes(api, WatchOnly("http://up"), passive_checks(select_checks()), None)
    gets = [each.operation_id for each in api.operations if each.method == "get"]
    assert [route.operation.operation_id for route in found] == gets, "the writes the example declares have none"
    by_id = {route.operation.operation_id: route for route in found}
    assert by_id["getCustomer"].values("/v2/customers/a%20b") == {"customerId": "a b"}
    assert by_id["getCustomer"].values("/v2/customers/a/objects") is None
    assert by_id["listCustomerObjects"].values("/v2/customers/x/objects") == {"customerId": "x"}
    assert "items_belong_to_parent" in by_id["listCustomerObjects"].outcome.checks
    assert "item_is_listed" not in by_id["getCustomer"].outcome.checks, "it asks the list: the proxy sends nothing"


def test_an_item_request_is_read_by_its_id_and_its_answer(example: tuple[Api, Context]) -> None:
    api, _ = example
    route = next(each for each in routes(api, WatchOnly("http://up"), (), None) if each.operation.kind == "item")
    good = "0123456789abcdef01234567"
    assert route.case({"customerId": good}, (), key_sent=True, status=200)[1].kind == "valid"
    assert route.case({"customerId": good}, (), key_sent=True, status=404)[1].kind == "unknown"
    malformed = route.case({"customerId": "nope"}, (), key_sent=True, status=400)[1]
    assert (malformed.kind, malformed.invalid) == ("invalid", "customerId")
    assert route.case({"customerId": good}, (), key_sent=False, status=401)[1].kind == "no_key"


def test_a_sub_collection_answer_with_another_parents_item_is_caught(example: tuple[Api, Context]) -> None:
    api, first = example
    route = next(
        each
        for each in routes(api, WatchOnly("http://up"), passive_checks(select_checks()), None)
        if each.operation.operation_id == "listCustomerObjects"
    )
    site = orjson.loads(first.transport.send(f"{first.transport.base_url}/v2/objects?limit=1", "key").body)[0]
    path = f"/v2/customers/{site['customerId']}/objects"
    answer = first.transport.send(f"{first.transport.base_url}{path}", "key")
    ctx, case = route.case(route.values(path) or {}, (), key_sent=True, status=answer.status)
    assert judge_response(ctx, case, answer, route.checks).violations == []
    stranger = Response(answer.url, 200, answer.headers, orjson.dumps([{**site, "customerId": "f" * 24}]))
    failed = judge_response(ctx, case, stranger, route.checks).violations
    assert "items_belong_to_parent" in [name for name, _ in failed]
    ctx, unknown = route.case({"customerId": "f" * 24}, (), key_sent=True, status=404)
    assert unknown.kind == "unknown"
