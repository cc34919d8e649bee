"""Each operation's parameters read: a list's filters (a path parameter's too), sort, paging and parent; an item's
selector; the defaults where the spec says nothing."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from customers_spec import Api, SortKey, SpecError, api_from_dict
from tests.conftest import EXAMPLE_SPEC


def example() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    return loaded


def test_a_sub_collection_filters_by_its_path_parameter_and_names_its_parent(example_api: Api) -> None:
    spec = example_api.list_of(example_api.operation("listCustomerObjects"))
    assert spec is not None and spec.parent is not None
    assert (spec.parent.parameter, spec.parent.collection.name, spec.parent.unknown_status) == (
        "customerId",
        "customers",
        404,
    )
    (clause,) = spec.filters["customerId"].clauses
    assert (clause.path, clause.operator, clause.type) == ("customerId", "eq", "objectid")
    assert spec.path_parameters == ("customerId",)
    assert spec.url_path({"customerId": "65a1b2c3d4e5f6a7b8c9d0e1"}) == "/v2/customers/65a1b2c3d4e5f6a7b8c9d0e1/objects"


def test_each_collection_has_its_own_catalogue(example_api: Api) -> None:
    customers, objects = example_api.collections["customers"], example_api.collections["objects"]
    assert "contact.email" in customers.field_types and "contact.email" not in objects.field_types
    assert objects.field_types["objectManagerId"] == "objectid"
    assert example_api.lists[2].field_types is objects.field_types


def test_without_a_404_an_unknown_parent_is_an_empty_page() -> None:
    document = example()
    del document["paths"]["/v2/customers/{customerId}/objects"]["get"]["responses"]["404"]
    spec = api_from_dict(document).lists[1]
    assert spec.parent is not None and spec.parent.unknown_status == 200


def test_a_list_without_x_sort_or_x_pagination_orders_by_its_id_and_pages_by_limit_and_offset() -> None:
    document = example()
    operation = document["paths"]["/v2/objects"]["get"]
    del operation["x-pagination"]
    operation["parameters"] = [p for p in operation["parameters"] if p["$ref"] != "#/components/parameters/objectSort"]
    spec = api_from_dict(document).lists[2]
    assert not spec.sortable and spec.sort.fields == () and spec.sort.parameter == ""
    assert spec.sort.effective(None) == (SortKey("_id"),)
    assert spec.pagination.total_header == "X-Total-Count"


def test_a_path_parameter_of_a_list_that_names_no_field_and_has_no_filter_is_refused() -> None:
    document = example()
    parameter = document["components"]["parameters"]["sitesOfCustomer"]
    del parameter["x-filter"]
    parameter["name"] = "owner"
    document["paths"]["/v2/customers/{owner}/objects"] = document["paths"].pop("/v2/customers/{customerId}/objects")
    with pytest.raises(SpecError, match=r"^/components/parameters/sitesOfCustomer: the path parameter 'owner'"):
        api_from_dict(document)


def test_a_path_parameter_named_as_a_field_filters_it_by_convention() -> None:
    document = example()
    del document["components"]["parameters"]["sitesOfCustomer"]["x-filter"]
    (clause,) = api_from_dict(document).lists[1].filters["customerId"].clauses
    assert (clause.path, clause.operator) == ("customerId", "eq")


def test_an_item_s_path_parameter_filtering_anything_but_the_id_is_refused() -> None:
    document = example()
    document["components"]["parameters"]["customerId"]["x-filter"] = {"path": "number", "operator": "eq"}
    with pytest.raises(SpecError, match=r"^/components/parameters/customerId/x-filter: an item's path parameter"):
        api_from_dict(document)


def test_a_new_list_operation_with_a_new_filter_is_read_without_code() -> None:
    document = example()
    operation = copy.deepcopy(document["paths"]["/v2/objects"]["get"])
    operation["operationId"] = "listManagedObjects"
    operation["parameters"].append(
        {
            "name": "zip",
            "in": "query",
            "schema": {"type": "string"},
            "x-filter": {"path": "address.zip", "operator": "startsWith"},
        }
    )
    document["paths"]["/v2/managed-objects"] = {"get": operation}
    api = api_from_dict(document)
    spec = api.list_of(api.operation("listManagedObjects"))
    assert spec is not None and spec.collection is api.collections["objects"]
    (clause,) = spec.filters["zip"].clauses
    assert (clause.path, clause.operator) == ("address.zip", "startsWith")
