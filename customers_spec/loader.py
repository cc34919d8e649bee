"""One path for loading the spec: every source ends in ``from_dict``, which checks it and parses it once."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from customers_spec import resources
from customers_spec.errors import SpecError
from customers_spec.extensions import check_extensions, pointer
from customers_spec.model import (
    FIELD_TYPES,
    Clause,
    FieldType,
    FilterRule,
    Pagination,
    Parameter,
    Relation,
    SortKey,
    SortSpec,
    Spec,
)
from customers_spec.wire import SortGrammar, WireFormat, bounds

OPERATION_PATH = "/v2/customers"
OPERATION_METHOD = "get"


def load_spec(source: str | Path | None = None) -> Spec:
    """Load the spec from a YAML/JSON file, by default the shipped ``openapi/customers.yaml``."""
    path = Path(source) if source is not None else resources.spec_path()
    return _load_file(path.resolve())


@lru_cache(maxsize=4)
def _load_file(path: Path) -> Spec:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        reason = str(exc).replace("\n", " ")
        raise SpecError(f"cannot read the spec {path}: {reason}") from exc
    return from_dict(document)


def from_dict(document: Any) -> Spec:
    """Check that ``document`` is an OpenAPI 3.1 spec with the customers operation, and parse its extensions."""
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise SpecError("the spec must be an OpenAPI 3.1 document")
    try:
        operation = document["paths"][OPERATION_PATH][OPERATION_METHOD]
    except (KeyError, TypeError) as exc:
        raise SpecError(f"the spec has no {OPERATION_METHOD.upper()} {OPERATION_PATH} operation") from exc
    check_extensions(document, OPERATION_POINTER)
    resolve(document, operation)  # once in full, so that a $ref cycle is refused here, not met later
    try:
        return _parse(document, operation)
    except (KeyError, TypeError, ValueError) as exc:  # a gap the extension schema does not cover: a bug to fix
        raise SpecError(f"{OPERATION_POINTER}: the spec's extensions are incomplete: {exc!r}") from exc


OPERATION_POINTER = pointer("paths", OPERATION_PATH, OPERATION_METHOD)


def resolve(document: dict[str, Any], node: Any, _through: tuple[str, ...] = ()) -> Any:
    """``node`` with every local ``$ref`` replaced by a copy of its target; a reference cycle is a SpecError."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref = node["$ref"]
            if ref in _through:
                raise SpecError(f"{ref[1:]}: a $ref cycle ({' -> '.join((*_through, ref))}); the tools need none")
            target = _pointer(document, ref)
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            return resolve(document, {**target, **siblings}, (*_through, ref))
        return {key: resolve(document, value, _through) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(document, value, _through) for value in node]
    return node


def _pointer(document: dict[str, Any], ref: Any) -> Any:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise SpecError(f"{ref}: only local references (#/...) are supported")
    node: Any = document
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise SpecError(f"{ref[1:]}: the $ref target does not exist")
        node = node[key]
    return node


def _parse(document: dict[str, Any], operation: dict[str, Any]) -> Spec:
    components = document["components"]
    field_types: dict[str, FieldType] = {
        path: type_ for type_ in FIELD_TYPES for path in components["x-field-types"].get(type_, [])
    }
    operators_by_type = {type_: frozenset(components["x-operators-by-type"][type_]) for type_ in FIELD_TYPES}
    wire = WireFormat(list_separator=components["x-list-separator"])
    parameters: dict[str, Parameter] = {}
    places: dict[str, str] = {}
    filters: dict[str, FilterRule] = {}
    sort: SortSpec | None = None
    for index, raw in enumerate(operation.get("parameters", [])):
        where = raw["$ref"][1:] if "$ref" in raw else f"{OPERATION_POINTER}/parameters/{index}"
        declared = resolve(document, raw)
        parameter = _parameter(declared)
        parameters[parameter.name] = parameter
        places[parameter.name] = where
        if "x-filter" in declared:
            filters[parameter.name] = _filter(parameter.name, declared["x-filter"], field_types, wire, where)
        if "x-sort" in declared:
            sort = _sort(parameter.name, declared["x-sort"], where)
    if sort is None:
        raise SpecError(f"{OPERATION_POINTER}/parameters: no parameter has an x-sort extension")
    pagination = _pagination(operation["x-pagination"])
    for name in (pagination.limit, pagination.offset):
        if name not in parameters:
            raise SpecError(f"{OPERATION_POINTER}/x-pagination: names '{name}', which is no parameter")
        try:
            bounds(parameters[name])  # the kit and the mock read the page bounds; refuse a spec without them
        except SpecError as exc:
            raise SpecError(f"{places[name]}/schema: {exc}") from exc
    scheme = next(iter(components["securitySchemes"].values()))
    return Spec(
        document=document,
        path=OPERATION_PATH,
        method=OPERATION_METHOD,
        parameters=parameters,
        filters=filters,
        sort=sort,
        pagination=pagination,
        field_types=field_types,
        operators_by_type=operators_by_type,
        api_key_header=scheme["name"],
        wire=wire,
        statuses=frozenset(int(code) for code in operation["responses"]),
    )


def _parameter(declared: dict[str, Any]) -> Parameter:
    location = declared["in"]
    style = declared.get("style", "form" if location == "query" else "simple")
    return Parameter(
        name=declared["name"],
        location=location,
        schema=declared.get("schema", {}),
        style=style,
        explode=declared.get("explode", style == "form"),
        comma_separated=bool(declared.get("x-comma-separated", False)),
        description=declared.get("description", ""),
    )


def _filter(
    name: str, extension: dict[str, Any], field_types: dict[str, FieldType], wire: WireFormat, where: str
) -> FilterRule:
    if extension.get("general"):
        return FilterRule(parameter=name, general=True, wire=wire)
    written = extension.get("anyOf", [extension])
    clauses = tuple(_clause(item, field_types, f"{where}/x-filter") for item in written)
    return FilterRule(parameter=name, clauses=clauses, wire=wire)


def _clause(item: dict[str, Any], field_types: dict[str, FieldType], where: str) -> Clause:
    path = item["path"]
    if path not in field_types:
        raise SpecError(f"{where}: path '{path}' is not in /components/x-field-types")
    via = item.get("via")
    return Clause(
        path=path,
        operator=item["operator"],
        type=field_types[path],
        when=re.compile(item["when"]) if "when" in item else None,
        via=Relation(via["collection"], via["schema"], via["match"], via["select"]) if via else None,
    )


# The order rules the mock's orderings and the kit's oracle implement (MongoDB's): a spec asking for other
# rules is refused, so neither tool can silently keep the old order.
SUPPORTED_ORDER = {"missing": "lowest", "strings": "codepoint"}


def _sort(name: str, extension: dict[str, Any], where: str) -> SortSpec:
    for rule, supported in SUPPORTED_ORDER.items():
        if extension[rule] != supported:
            raise SpecError(
                f"{where}/x-sort/{rule}: {extension[rule]!r} is not supported; the tools order by {supported!r}"
            )
    directions = {str(key): value == "descending" for key, value in extension["directions"].items()}
    grammar = SortGrammar(
        parameter=name, fields=tuple(extension["fields"]), separator=extension["separator"], directions=directions
    )
    bare = SortSpec(grammar=grammar, default=(), tie_breaker=SortKey("_id"))
    parsed = {}
    for rule in ("default", "tieBreaker"):
        try:
            parsed[rule] = bare.parse(extension[rule])
        except ValueError as exc:
            raise SpecError(f"{where}/x-sort/{rule}: {exc}") from exc
    if len(parsed["tieBreaker"]) != 1:
        raise SpecError(f"{where}/x-sort/tieBreaker: must be one key, got {extension['tieBreaker']!r}")
    return replace(bare, default=parsed["default"], tie_breaker=parsed["tieBreaker"][0])


def _pagination(extension: dict[str, Any]) -> Pagination:
    return Pagination(
        limit=extension["limit"],
        offset=extension["offset"],
        total_header=extension["totalHeader"],
        link_header=extension["linkHeader"],
        relations=tuple(extension["relations"]),
    )
