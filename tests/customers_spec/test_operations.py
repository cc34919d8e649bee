"""What each operation is, read from the document: the REST convention where it says nothing, its words where
it says more."""

from __future__ import annotations

from typing import Any

import pytest

from customers_spec import SpecError
from customers_spec.operations import declared_operations, derived_catalogue, make_collection


def _document(**paths: Any) -> dict[str, Any]:
    tag = {"type": "object", "properties": {"id": {"type": "string"}, "label": {"type": "string"}}}
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10}}
    offset = {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 99}}
    return {
        "openapi": "3.1.0",
        "paths": paths,
        "components": {"schemas": {"Tag": tag}, "parameters": {"limit": limit, "offset": offset}},
    }


def _answering(schema: dict[str, Any], parameters: list[Any] | None = None, method: str = "get") -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    return {method: {"parameters": parameters or [], "responses": {"200": ok}}}


TAG = {"$ref": "#/components/schemas/Tag"}
PAGED = [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"}]


@pytest.mark.parametrize(
    ("path", "item", "kind"),
    [
        ("/tags", _answering({"type": "array", "items": TAG}, PAGED), "list"),
        ("/tags", _answering({"type": "array", "items": TAG}), "other"),  # not paged: served whole, as declared
        ("/tags/{tagId}", _answering(TAG, [{"name": "tagId", "in": "path", "required": True}]), "item"),
        ("/tags/current", _answering(TAG), "other"),  # no parameter selects it
        ("/tags", _answering({"type": "array", "items": TAG}, PAGED, method="post"), "other"),
        ("/health", _answering({"type": "object"}), "other"),  # no component schema, so no collection
    ],
)
def test_the_rest_convention_gives_each_operation_its_kind(path: str, item: dict[str, Any], kind: str) -> None:
    (found,) = declared_operations(_document(**{path: item}))
    assert found.kind == kind


def test_path_level_parameters_join_each_operation_s_own() -> None:
    document = _document(**{"/tags": {**_answering({"type": "array", "items": TAG}), "parameters": PAGED}})
    (found,) = declared_operations(document)
    assert found.kind == "list"
    assert found.parameter_names == {"limit", "offset"}


def test_a_collection_is_named_by_x_collection_else_a_via_else_the_data_key_else_its_path() -> None:
    document = _document()
    assert make_collection(document, "Tag", "/v1/tags", takes_shared_catalogue=False).name == "tags"
    document["components"]["schemas"]["Tag"]["x-collection"] = "labels"
    collection = make_collection(document, "Tag", "/v1/tags", takes_shared_catalogue=False)
    assert (collection.name, collection.id_field) == ("labels", "id")  # no _id: the id is id
    assert collection.field_types == {"id": "string", "label": "string"}


def test_x_id_must_name_a_property() -> None:
    document = _document()
    document["components"]["schemas"]["Tag"]["x-id"] = "slug"
    with pytest.raises(SpecError, match=r"^/components/schemas/Tag/x-id: 'slug' is not a property of Tag$"):
        make_collection(document, "Tag", "/tags", takes_shared_catalogue=False)


def test_a_derived_catalogue_types_scalars_through_refs_and_nullable_branches() -> None:
    document = _document()
    document["components"]["schemas"]["Id"] = {"type": "string", "pattern": "^[0-9a-f]{24}$"}
    schema = {
        "properties": {
            "_id": {"$ref": "#/components/schemas/Id"},
            "owner": {"anyOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]},
            "at": {"type": ["string", "null"], "format": "date-time"},
            "count": {"type": "integer"},
            "open": {"type": "boolean"},
            "place": {"type": "object", "properties": {"city": {"type": "string"}}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "free": {"type": ["object", "null"]},
            "either": {"type": ["string", "integer"]},
        }
    }
    assert derived_catalogue(document, schema) == {
        "_id": "objectid",
        "owner": "objectid",
        "at": "date",
        "count": "number",
        "open": "boolean",
        "place.city": "string",
    }
