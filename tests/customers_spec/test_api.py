"""The whole document's operations: named by operationId or METHOD /path, selected like Schemathesis' filters."""

from __future__ import annotations

import pytest

from customers_spec import Api


def test_every_operation_is_read_in_document_order_with_its_kind_and_collection(example_api: Api) -> None:
    found = [(each.key, each.kind, each.collection and each.collection.name) for each in example_api.operations]
    assert found == [
        ("GET /v2/customers", "list", "customers"),
        ("POST /v2/customers", "create", "customers"),
        ("GET /v2/customers/{customerId}", "item", "customers"),
        ("PUT /v2/customers/{customerId}", "replace", "customers"),
        ("DELETE /v2/customers/{customerId}", "delete", "customers"),
        ("PATCH /v2/customers/{customerId}", "update", "customers"),
        ("GET /v2/customers/{customerId}/objects", "list", "objects"),
        ("GET /v2/objects", "list", "objects"),
    ]
    assert example_api.operation("getCustomer").label == "getCustomer (GET /v2/customers/{customerId})"
    assert example_api.operation("get /v2/objects").operation_id == "listObjects"
    assert example_api.operation("getCustomer").statuses == frozenset({200, 400, 401, 404})


def test_an_unknown_operation_is_a_key_error_with_the_closest_name(example_api: Api) -> None:
    with pytest.raises(KeyError, match="did you mean 'listObjects'"):
        example_api.operation("listObject")


def test_selection_includes_then_excludes_and_keeps_lists_and_items_in_step(example_api: Api) -> None:
    only = example_api.selected(include=["getCustomer", "GET /v2/objects"])
    assert [each.operation_id for each in only.operations] == ["getCustomer", "listObjects"]
    assert [spec.path for spec in only.lists] == ["/v2/objects"]
    assert [item.operation.operation_id for item in only.items] == ["getCustomer"]
    without = example_api.selected(exclude=["listCustomers"])
    assert [spec.operation_id for spec in without.lists] == ["listCustomerObjects", "listObjects"]
    assert example_api.selected().operations == example_api.operations
    with pytest.raises(KeyError):
        example_api.selected(exclude=["listCustomer"])  # a typo never selects nothing in silence


def test_an_item_names_its_id_parameter_and_the_list_it_must_agree_with(example_api: Api) -> None:
    (item,) = example_api.items
    assert (item.id_parameter, item.collection.id_field, item.not_found_status) == ("customerId", "_id", 404)
    assert item.list is example_api.lists[0]
    assert item.id_schema["pattern"] == "^[0-9a-f]{24}$"
    assert item.url_path("a/b c") == "/v2/customers/a%2Fb%20c"
    assert example_api.item_of(item.operation) is item
    assert example_api.list_of(item.operation) is None
