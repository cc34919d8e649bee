"""What each operation of the document is, read from the document alone: the plain REST convention where the spec
says nothing, its ``x-`` extensions where it says more.

- ``GET`` whose 200 is an array of a component schema ``S`` and that pages (``x-pagination``, or parameters named
  ``limit`` and ``offset``): a **list** of the collection of ``S``.
- ``GET`` on a path ending in a parameter whose 200 is ``S`` itself: the **item by id** of that collection.
- anything else: an operation the tools give no meaning to; the mock still serves what it declares.

A collection (``Collection``) is named by its schema's ``x-collection``, else by a filter's ``via`` naming that
schema, else by the data file's key for it (``customers_spec.datafile.COLLECTION_KEYS``), else by the path's last plain
segment. Its id field is its schema's ``x-id``, else ``_id`` or ``id``, whichever it has. Its field catalogue is
its schema's ``x-field-types``; else, for the collection of the document's first list, ``components.x-field-types``
(where it always was); else the schema's own scalar properties, each typed by its JSON Schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from customers_spec.datafile import COLLECTION_KEYS
from customers_spec.errors import SpecError
from customers_spec.extensions import pointer
from customers_spec.model import FIELD_TYPES, Collection, FieldType, path_parameters

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SCHEMAS = "#/components/schemas/"
OBJECT_ID = "^[0-9a-f]{24}$"

# Where the spec says nothing: the operators each type allows, how lists are joined, and how pages are told.
DEFAULT_OPERATORS_BY_TYPE: dict[FieldType, tuple[str, ...]] = {
    "string": ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "startsWith", "endsWith", "exists"),
    "number": ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "exists"),
    "boolean": ("eq", "ne", "exists"),
    "date": ("eq", "ne", "gt", "gte", "lt", "lte", "exists"),
    "objectid": ("eq", "ne", "in", "nin", "exists"),
}
DEFAULT_PAGINATION = {
    "limit": "limit",
    "offset": "offset",
    "totalHeader": "X-Total-Count",
    "linkHeader": "Link",
    "relations": ["first", "prev", "next", "last"],
}


@dataclass(frozen=True)
class Declared:
    """One operation as the document declares it, and what its 200 answers: ``shape`` "array" or "one" of the
    component ``schema`` (None: no component schema, so no collection)."""

    path: str
    method: str
    operation: dict[str, Any]
    where: str  # its JSON pointer
    shape: str | None
    schema: str | None
    parameter_names: frozenset[str] = frozenset()

    @property
    def pages(self) -> bool:
        return "x-pagination" in self.operation or {"limit", "offset"} <= self.parameter_names

    @property
    def kind(self) -> str:
        if self.method != "get" or self.schema is None:
            return "other"
        if self.shape == "array" and self.pages:
            return "list"
        if self.shape == "one" and self.path.endswith("}") and path_parameters(self.path):
            return "item"
        return "other"


def declared_operations(document: dict[str, Any]) -> Iterator[Declared]:
    """Every operation of ``document``, in document order; path-level parameters joined to each operation's."""
    paths = document.get("paths") or {}
    if not isinstance(paths, dict):
        raise SpecError("/paths: must be an object")
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            own = operation.get("parameters", [])
            own_names = {_name(raw, document) for raw in own}
            joined = [raw for raw in shared if _name(raw, document) not in own_names] + list(own)
            operation = {**operation, "parameters": joined} if shared else operation
            shape, schema = _answers(document, operation)
            names = frozenset(str(_name(raw, document)) for raw in joined)
            yield Declared(path, method, operation, pointer("paths", path, method), shape, schema, names)


def _name(raw: Any, document: dict[str, Any] | None = None) -> Any:
    if isinstance(raw, dict) and "$ref" in raw and document is not None:
        raw = _target(document, raw["$ref"])
    return raw.get("name") if isinstance(raw, dict) else None


def _target(document: dict[str, Any], ref: Any) -> Any:
    node: Any = document
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    for part in ref[2:].split("/"):
        node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
    return node


def _answers(document: dict[str, Any], operation: dict[str, Any]) -> tuple[str | None, str | None]:
    """What the 200 (else the first 2xx) answers in JSON: an array of, or one, component schema."""
    responses = operation.get("responses") or {}
    codes = [code for code in responses if str(code).startswith("2")]
    if not codes:
        return None, None
    response = responses["200" if "200" in responses else codes[0]]
    while isinstance(response, dict) and "$ref" in response:
        response = _target(document, response["$ref"])
    content = response.get("content", {}) if isinstance(response, dict) else {}
    media = next((value for key, value in content.items() if "json" in key), None)
    schema = media.get("schema") if isinstance(media, dict) else None
    if not isinstance(schema, dict):
        return None, None
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return "array", _component(schema["items"])
    return ("one", _component(schema)) if "$ref" in schema else (None, None)


def _component(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref[len(SCHEMAS) :] if isinstance(ref, str) and ref.startswith(SCHEMAS) else None


def relation_names(document: dict[str, Any]) -> dict[str, str]:
    """The collection each ``via`` of the document's filters names, by the schema it names."""
    names: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            via = node.get("via")
            if isinstance(via, dict) and isinstance(via.get("schema"), str) and isinstance(via.get("collection"), str):
                names.setdefault(via["schema"], via["collection"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document.get("components", {}))
    walk(document.get("paths", {}))
    return names


def make_collection(
    document: dict[str, Any], schema_name: str, path: str, *, takes_shared_catalogue: bool
) -> Collection:
    """The collection whose records are ``schema_name`` (first met on ``path``), as the module docstring says."""
    where = pointer("components", "schemas", schema_name)
    schema = (document.get("components", {}).get("schemas") or {}).get(schema_name)
    if not isinstance(schema, dict):
        raise SpecError(f"{where}: the schema an operation answers does not exist")
    resolved = _resolved(document, schema)
    properties = resolved.get("properties") or {}
    name = schema.get("x-collection") or relation_names(document).get(schema_name) or COLLECTION_KEYS.get(schema_name)
    if not name:
        plain = [part for part in path.split("/") if part and not part.startswith("{")]
        name = plain[-1] if plain else schema_name
    id_field = schema.get("x-id") or ("_id" if "_id" in properties or "id" not in properties else "id")
    if "x-id" in schema and id_field not in properties:
        raise SpecError(f"{where}/x-id: '{id_field}' is not a property of {schema_name}")
    if "x-field-types" in schema:
        field_types = catalogue(schema["x-field-types"])
    elif takes_shared_catalogue and "x-field-types" in document.get("components", {}):
        field_types = catalogue(document["components"]["x-field-types"])
    else:
        field_types = derived_catalogue(document, resolved)
    if id_field not in field_types:  # the tie-breaker and the item's selector: always a column
        typed = derived_catalogue(document, {"properties": {id_field: properties.get(id_field, {})}})
        field_types = {id_field: typed.get(id_field, "string"), **field_types}
    return Collection(name=str(name), schema=schema_name, id_field=str(id_field), field_types=field_types)


def catalogue(written: dict[str, list[str]]) -> dict[str, FieldType]:
    """An ``x-field-types`` map (type -> paths) as path -> type."""
    return {path: type_ for type_ in FIELD_TYPES for path in written.get(type_, [])}


def derived_catalogue(document: dict[str, Any], schema: dict[str, Any], prefix: str = "") -> dict[str, FieldType]:
    """Every scalar property of ``schema`` (nested objects dotted) typed by its JSON Schema: an ObjectId pattern is
    an objectid, a date-time or date format a date, a number or integer a number; arrays and free objects are
    not filterable fields."""
    found: dict[str, FieldType] = {}
    for name, raw in (schema.get("properties") or {}).items():
        sub = _resolved(document, raw)
        path = f"{prefix}{name}"
        nested = _branches(document, sub)
        if len(nested) == 1 and nested[0].get("properties"):
            found.update(derived_catalogue(document, nested[0], f"{path}."))
            continue
        kinds = {_kind(branch) for branch in nested}
        if len(kinds) == 1 and None not in kinds:
            found[path] = kinds.pop()  # type: ignore[assignment]  # None was excluded
    return found


def _branches(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a schema (``anyOf``/``oneOf`` branches, or its types but null)."""
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        branches = [_resolved(document, branch) for branch in alternatives]
        return [branch for branch in branches if branch.get("type") != "null"]
    types = schema.get("type")
    if isinstance(types, list):
        kept = [type_ for type_ in types if type_ != "null"]
        return [{**schema, "type": kept[0] if len(kept) == 1 else kept}]
    return [schema]


def _kind(schema: dict[str, Any]) -> FieldType | None:
    type_ = schema.get("type")
    if type_ == "string":
        if schema.get("pattern") == OBJECT_ID:
            return "objectid"
        return "date" if schema.get("format") in ("date-time", "date") else "string"
    if type_ in ("integer", "number"):
        return "number"
    return "boolean" if type_ == "boolean" else None


def _resolved(document: dict[str, Any], schema: Any) -> dict[str, Any]:
    """``schema`` with its own ``$ref`` followed (its siblings kept); cycles were refused before."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        target = _target(document, schema["$ref"])
        schema = {**(target if isinstance(target, dict) else {}), **{k: v for k, v in schema.items() if k != "$ref"}}
        seen += 1
    return schema if isinstance(schema, dict) else {}
