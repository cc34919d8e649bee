"""The writes read from standard OpenAPI: the example's four customer writes, what the server owns (readOnly,
x-assigned) and what must stay unique; the REST convention where the spec says nothing more; a misspelt
x-assigned refused in one line naming its place."""

from __future__ import annotations

import copy

import pytest
import yaml

from customers_spec import Api, SpecError, api_from_dict, load_api
from customers_spec.writes import Assigned, request_shape
from tests.conftest import EXAMPLE_SPEC


def test_the_example_declares_a_create_a_replace_an_update_and_a_delete_of_customers(example_api: Api) -> None:
    kinds = {write.operation.operation_id: write.kind for write in example_api.writes}
    assert kinds == {
        "createCustomer": "create",
        "replaceCustomer": "replace",
        "updateCustomer": "update",
        "deleteCustomer": "delete",
    }
    for write in example_api.writes:
        assert write.collection.name == "customers"
        assert example_api.write_of(example_api.operation(write.operation.operation_id)) is write
        assert example_api.operation(write.operation.key).kind == write.kind
    create = example_api.write_of(example_api.operation("createCustomer"))
    assert create is not None
    assert (create.status, create.id_parameter, create.media_types) == (201, None, ("application/json",))
    update = example_api.write_of(example_api.operation("updateCustomer"))
    assert update is not None and update.media_types == ("application/merge-patch+json",)
    assert update.url_path("abc") == "/v2/customers/abc"


def test_what_the_server_owns_is_read_from_readonly_and_x_assigned(example_api: Api) -> None:
    create = example_api.writes[0]
    assert create.read_only == ("_id", "status.createdAt", "status.lastModifiedAt")
    assert create.assigned == (
        Assigned("_id", "id"),
        Assigned("number", "sequence", "companyId"),
        Assigned("status.createdAt", "created"),
        Assigned("status.lastModifiedAt", "modified"),
    )
    assert create.unique == (("number", "companyId"),)
    assert create.body_schema is not None
    assert "_id" not in create.body_schema["required"] and "number" not in create.body_schema["required"]
    assert create.body_schema["properties"]["status"]["required"] == ["status", "createdBy"]


def test_without_x_assigned_a_readonly_id_is_an_id_and_a_unique_readonly_integer_a_sequence() -> None:
    document = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    number = document["components"]["schemas"]["Customer"]["properties"]["number"]
    del number["x-assigned"]
    number["readOnly"] = True
    api = api_from_dict(document)
    assert Assigned("number", "sequence", "companyId") in api.writes[0].assigned
    assert "number" in api.writes[0].read_only


def test_no_write_is_read_where_there_is_no_body_or_no_collection(example_api: Api) -> None:
    document = copy.deepcopy(example_api.document)
    del document["paths"]["/v2/customers"]["post"]["requestBody"]
    api = api_from_dict(document)
    assert "createCustomer" not in {write.operation.operation_id for write in api.writes}
    assert api.operation("createCustomer").kind == "other"


def test_the_shipped_spec_declares_no_write() -> None:
    assert load_api().writes == ()


def test_a_misspelt_x_assigned_is_refused_naming_its_place() -> None:
    document = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    document["components"]["schemas"]["Customer"]["properties"]["number"]["x-assigned"] = "sequense"
    with pytest.raises(SpecError, match=r"^/components/schemas/Customer/properties/number/x-assigned: 'sequense'"):
        api_from_dict(document)


def test_a_request_shape_requires_nothing_the_server_sets() -> None:
    schema = {
        "type": "object",
        "required": ["a", "b", "c"],
        "properties": {"a": {"readOnly": True}, "b": {"x-assigned": "sequence"}, "c": {"type": "object"}},
    }
    assert request_shape(schema)["required"] == ["c"]
    assert schema["required"] == ["a", "b", "c"]  # a copy
