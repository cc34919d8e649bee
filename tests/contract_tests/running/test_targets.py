"""What each operation beside a plain list is made into for a run: its context, its requests, its gaps."""

from __future__ import annotations

from collections import Counter

from contract_tests.judging.context import Context
from contract_tests.judging.operations import OperationContext
from contract_tests.running import targets
from customers_spec import Api, api_from_dict


def test_each_operation_has_its_roles(example: tuple[Api, Context]) -> None:
    api, _ = example
    roles = {operation.operation_id: targets.roles_of(api, operation) for operation in api.operations}
    assert roles == {
        "listCustomers": {"list"},
        "getCustomer": {"item"},
        "listCustomerObjects": {"list", "sub"},
        "listObjects": {"list"},
        # the example's writes: operations the main run gives no meaning to (``contract-tests writes`` checks them)
        "createCustomer": {"other"},
        "replaceCustomer": {"other"},
        "updateCustomer": {"other"},
        "deleteCustomer": {"other"},
    }


def test_an_item_asks_known_unknown_and_malformed_ids(example: tuple[Api, Context]) -> None:
    api, first = example
    target = targets.item(api.items[0], first, first, frozenset({"item"}), 7, 100)
    kinds = Counter(case.kind for case in target.cases)
    assert kinds == {"valid": targets.ITEM_IDS, "unknown": 2, "invalid": 1, "no_key": 1, "wrong_key": 1}
    invalid = next(case for case in target.cases if case.kind == "invalid")
    assert invalid.invalid == "customerId" and target.gaps == []
    assert isinstance(target.ctx, OperationContext) and target.ctx.everything is first.everything


def test_a_sub_collection_is_bound_to_the_sampled_parent_with_most_items(example: tuple[Api, Context]) -> None:
    api, first = example
    spec = next(each for each in api.lists if each.parent is not None)
    operation = next(each for each in api.operations if api.list_of(each) is spec)
    target = targets.subcollection(api, spec, operation, {0: first}, first, seed=3)
    ctx = target.ctx
    assert isinstance(ctx, OperationContext) and ctx.subject.parent_id is not None
    assert "customerId" not in ctx.spec.filters and "customerId" not in ctx.spec.parameters, "no filter to draw"
    totals = [
        first.transport.send(ctx.url(((spec.pagination.limit, "1"), *case.query)), "key") for case in target.cases
    ]
    most = max(ctx.total(answer) or 0 for answer in totals[:-1])
    assert (ctx.sample.total or 0) >= most
    assert [case.kind for case in target.cases][-1] == "unknown"
    assert target.gaps == ["the sub-collection was compared with no list: none lists objects"], "no flat list given"


def test_an_operation_without_meaning_is_asked_with_its_examples_and_only_by_get(example: tuple[Api, Context]) -> None:
    _, first = example
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v2/ping/{name}": {
                "get": {
                    "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"example": "x y"}}],
                    "responses": {"200": {"description": "ok"}},
                },
                "post": {"responses": {"204": {"description": "done"}}},
            }
        },
    }
    api = api_from_dict(document)
    get, post = api.operations
    asked = targets.other(get, first, frozenset({"other"}))
    assert asked.ctx is not None and asked.ctx.url(()).endswith("/v2/ping/x%20y")
    assert [case.kind for case in asked.cases] == ["valid", "no_key", "wrong_key"]
    refused = targets.other(post, first, frozenset({"other"}))
    assert refused.ctx is None and "only GET" in refused.gaps[0]
