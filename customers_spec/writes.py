"""The writes a document declares, read from standard OpenAPI: ``POST`` on a list's path creates, ``PUT`` on an
item's path replaces, ``PATCH`` there updates (JSON Merge Patch, RFC 7396), ``DELETE`` there removes.

What a write may set comes from the collection's schema: a ``readOnly`` property is the server's (a client's value
is ignored, as OpenAPI says it SHOULD NOT be sent), ``x-assigned`` says how the server sets a property where
OpenAPI cannot (``id``, ``sequence``, ``created``, ``modified``), and ``x-unique-within`` which values must stay
free within a scope (a write that would break it is a 409). Plain data, read once per document, as
``customers_spec.api`` is; the mock applies it and the kit checks it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from customers_spec.api import Api, Operation
from customers_spec.model import Collection, fill_path, path_parameters
from customers_spec.parsing import resolve

WriteKind = Literal["create", "replace", "update", "delete"]
AssignedHow = Literal["id", "sequence", "created", "modified"]
MERGE_PATCH = "application/merge-patch+json"
KIND_OF_METHOD: dict[str, WriteKind] = {"post": "create", "put": "replace", "patch": "update", "delete": "delete"}
SUCCESS = {"create": 201, "replace": 200, "update": 200, "delete": 204}


@dataclass(frozen=True)
class Assigned:
    """A property the server sets on a write (a dotted ``path``), how, and the scope of its sequence."""

    path: str
    how: AssignedHow
    within: str | None = None


@dataclass(frozen=True, eq=False)
class WriteSpec:
    """One write operation over a collection: what a body may hold and what the server sets."""

    operation: Operation
    kind: WriteKind
    collection: Collection
    id_parameter: str | None  # the path parameter naming the record (replace, update, delete)
    media_types: tuple[str, ...]  # the request body's declared content types (empty: no body)
    body_schema: dict[str, Any] | None  # a record as a request gives it (readOnly and assigned ones not required)
    status: int  # the success status the operation declares
    read_only: tuple[str, ...]  # dotted paths the server owns
    assigned: tuple[Assigned, ...]
    unique: tuple[tuple[str, str], ...]  # (path, the sibling path whose value scopes it)

    def __repr__(self) -> str:
        return f"<WriteSpec {self.kind} {self.operation.label}>"

    def url_path(self, id_value: str) -> str:
        """The operation's path for the record with this id (a create's path has none to fill)."""
        if self.id_parameter is None:
            return self.operation.path
        return fill_path(self.operation.path, {self.id_parameter: id_value})


def with_writes(api: Api) -> Api:
    """``api`` with each write operation's kind and collection set, and its ``WriteSpec``s."""
    writes = tuple(_writes(api))
    if not writes:
        return api
    by_key = {(write.operation.path, write.operation.method): write for write in writes}
    operations = tuple(
        by_key[(each.path, each.method)].operation if (each.path, each.method) in by_key else each
        for each in api.operations
    )
    return replace(api, operations=operations, writes=writes)


def _writes(api: Api) -> Iterator[WriteSpec]:
    document = api.document
    by_schema = {collection.schema: collection for collection in api.collections.values()}
    for operation in api.operations:
        kind = KIND_OF_METHOD.get(operation.method)
        if kind is None:
            continue
        raw = document["paths"][operation.path][operation.method]
        listed = next((spec for spec in api.lists if spec.path == operation.path), None)
        item = next((each for each in api.items if each.operation.path == operation.path), None)
        body, media_types = _request_body(document, raw)
        collection: Collection | None
        id_parameter: str | None = None
        if kind == "create":
            collection = listed.collection if listed is not None else None
            if listed is not None and listed.parent is not None:
                continue  # a sub-collection's create: not read yet (the parent's id would be set from the path)
        else:
            collection = item.collection if item is not None else None
            id_parameter = item.id_parameter if item is not None else None
        if collection is None:
            name = _schema_name(body) or _schema_name(_answer_schema(document, raw))
            collection = by_schema.get(name or "")
            names = path_parameters(operation.path)
            if kind != "create" and operation.path.endswith("}") and names:
                id_parameter = names[-1]
        if collection is None or (kind != "create" and id_parameter is None) or (kind != "delete" and body is None):
            continue
        schema = resolve(document, document["components"]["schemas"][collection.schema])
        read_only, assigned, unique = _rules(schema, collection)
        shape = schema if kind == "update" or body is None else resolve(document, body)
        yield WriteSpec(
            operation=replace(operation, kind=kind, collection=collection),
            kind=kind,
            collection=collection,
            id_parameter=id_parameter,
            media_types=media_types,
            body_schema=None if kind == "delete" else request_shape(shape),
            status=_success(operation, kind),
            read_only=read_only,
            assigned=assigned,
            unique=unique,
        )


def _request_body(document: dict[str, Any], raw: dict[str, Any]) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    body = raw.get("requestBody")
    if not isinstance(body, dict):
        return None, ()
    body = resolve(document, body) if "$ref" in body else body
    content = body.get("content") or {}
    media = [name for name in content if "json" in name]
    if not media:
        return None, ()
    schema = content[media[0]].get("schema")
    return (schema if isinstance(schema, dict) else None), tuple(media)


def _answer_schema(document: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any] | None:
    responses = raw.get("responses") or {}
    for code in sorted(str(code) for code in responses):
        if code.startswith("2"):
            response = responses.get(code) or responses.get(int(code))
            response = resolve(document, response) if isinstance(response, dict) and "$ref" in response else response
            content = (response or {}).get("content") or {}
            media = next((value for key, value in content.items() if "json" in key), None)
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                return dict(media["schema"])
    return None


def _schema_name(schema: dict[str, Any] | None) -> str | None:
    ref = (schema or {}).get("$ref")
    prefix = "#/components/schemas/"
    return ref[len(prefix) :] if isinstance(ref, str) and ref.startswith(prefix) else None


def _success(operation: Operation, kind: WriteKind) -> int:
    declared = sorted(status for status in operation.statuses if 200 <= status < 300)
    return SUCCESS[kind] if SUCCESS[kind] in declared or not declared else declared[0]


def _rules(
    schema: dict[str, Any], collection: Collection
) -> tuple[tuple[str, ...], tuple[Assigned, ...], tuple[tuple[str, str], ...]]:
    """The readOnly paths, the assigned properties and the unique ones of a collection's (resolved) schema."""
    read_only: list[str] = []
    assigned: list[Assigned] = []
    unique: list[tuple[str, str]] = []
    for path, prop in _properties(schema):
        within = prop.get("x-unique-within")
        if isinstance(within, str):
            unique.append((path, within))
        how = prop.get("x-assigned")
        if prop.get("readOnly") is True:
            read_only.append(path)
            if how is None and path == collection.id_field:
                how = "id"
            elif how is None and within is not None and _type(prop) == "integer":
                how = "sequence"
        if how is not None:
            assigned.append(Assigned(path, how, within if how == "sequence" else None))
    return tuple(read_only), tuple(assigned), tuple(unique)


def _properties(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in (schema.get("properties") or {}).items():
        if isinstance(prop, dict):
            yield prefix + name, prop
            yield from _properties(prop, f"{prefix}{name}.")


def _type(prop: dict[str, Any]) -> str | None:
    kind = prop.get("type")
    return kind if isinstance(kind, str) else None


def request_shape(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (resolved) as a request must meet it: what the server sets (``readOnly`` or ``x-assigned``) is
    required of no request."""
    shaped = copy.deepcopy(schema)
    _unrequire(shaped)
    return shaped


def _unrequire(node: Any) -> None:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and isinstance(node.get("required"), list):
            owned = {
                name
                for name, prop in properties.items()
                if isinstance(prop, dict) and (prop.get("readOnly") is True or "x-assigned" in prop)
            }
            node["required"] = [name for name in node["required"] if name not in owned]
        for value in node.values():
            _unrequire(value)
    elif isinstance(node, list):
        for value in node:
            _unrequire(value)
