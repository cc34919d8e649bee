"""The document parsed into an ``Api``: each list operation's parameters read into a ``Spec`` (filters, sort,
paging, a sub-collection's parent), each item operation into an ``ItemSpec``, every operation into an
``Operation``; local ``$ref``s resolved (a cycle refused). Where the spec says nothing, the defaults here hold."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from customers_spec.api import Api, ItemSpec, Operation
from customers_spec.errors import SpecError
from customers_spec.model import (
    Clause,
    Collection,
    FieldType,
    FilterRule,
    Pagination,
    Parameter,
    Parent,
    Relation,
    SortKey,
    SortSpec,
    Spec,
)
from customers_spec.operations import DEFAULT_OPERATORS_BY_TYPE, DEFAULT_PAGINATION, Declared, make_collection
from customers_spec.wire import SortGrammar, WireFormat, bounds


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


class Reader:
    """Reads every declared operation of one document once; ``api`` is the result."""

    def __init__(self, document: dict[str, Any], declared: list[Declared]) -> None:
        self.document = document
        components = document.get("components") or {}
        written = components.get("x-operators-by-type", DEFAULT_OPERATORS_BY_TYPE)
        self.operators_by_type = {type_: frozenset(written.get(type_, ())) for type_ in DEFAULT_OPERATORS_BY_TYPE}
        self.wire = WireFormat(list_separator=components.get("x-list-separator", ","))
        schemes = (components.get("securitySchemes") or {}).values()
        header = next((s["name"] for s in schemes if s.get("type") == "apiKey" and s.get("in") == "header"), "")
        self.api_key_header: str = header
        self.declared = declared
        self.collections: dict[str, Collection] = {}  # by schema name
        lists = [each for each in declared if each.kind == "list"]
        for each in sorted(declared, key=lambda each: each.kind != "list"):  # the lists' paths name collections
            if each.kind != "other" and each.schema is not None and each.schema not in self.collections:
                first = lists[0].schema if lists else None
                self.collections[each.schema] = make_collection(
                    document, each.schema, each.path, takes_shared_catalogue=each.schema == first
                )

    def api(self) -> Api:
        lists = tuple(self.list_spec(each) for each in self.declared if each.kind == "list")
        operations = tuple(self.operation(each) for each in self.declared)
        items = tuple(
            self.item_spec(each, operation, lists)
            for each, operation in zip(self.declared, operations, strict=True)
            if each.kind == "item"
        )
        return Api(
            document=self.document,
            collections={collection.name: collection for collection in self.collections.values()},
            operations=operations,
            lists=lists,
            items=items,
            api_key_header=self.api_key_header,
        )

    def operation(self, each: Declared) -> Operation:
        return Operation(
            method=each.method,
            path=each.path,
            operation_id=each.operation.get("operationId", f"{each.method.upper()} {each.path}"),
            kind=each.kind,  # type: ignore[arg-type]  # Declared.kind says only these
            collection=self.collections.get(each.schema) if each.kind != "other" and each.schema else None,
            statuses=_statuses(each.operation),
            parameters=dict(self.parameters(each)[0]),
        )

    def parameters(self, each: Declared) -> tuple[dict[str, Parameter], dict[str, str], dict[str, dict[str, Any]]]:
        """The operation's parameters, where each is declared, and each one resolved as declared."""
        parameters: dict[str, Parameter] = {}
        places: dict[str, str] = {}
        raws: dict[str, dict[str, Any]] = {}
        for index, raw in enumerate(each.operation.get("parameters", [])):
            where = raw["$ref"][1:] if "$ref" in raw else f"{each.where}/parameters/{index}"
            declared = resolve(self.document, raw)
            if declared.get("in") not in ("query", "path"):
                continue  # headers and cookies are no part of what the tools generate or parse
            parameter = _parameter(declared)
            parameters[parameter.name] = parameter
            places[parameter.name] = where
            raws[parameter.name] = declared
        return parameters, places, raws

    def list_spec(self, each: Declared) -> Spec:
        collection = self.collections[str(each.schema)]
        field_types = collection.field_types
        parameters, places, raws = self.parameters(each)
        filters: dict[str, FilterRule] = {}
        sort: SortSpec | None = None
        parent: Parent | None = None
        for name, declared in raws.items():
            where = places[name]
            if "x-filter" in declared:
                filters[name] = _filter(name, declared["x-filter"], field_types, self.wire, where, collection)
            elif parameters[name].location == "path":  # the REST convention: the field of the same name
                if name not in field_types:
                    raise SpecError(
                        f"{where}: the path parameter '{name}' of a list must filter: give it an x-filter, or name"
                        f" it as a field of {collection.schema}"
                    )
                clause = Clause(path=name, operator="eq", type=field_types[name])
                filters[name] = FilterRule(parameter=name, clauses=(clause,), wire=self.wire)
            if parameters[name].location == "path":
                parent = parent or self.parent(each, name)
            if "x-sort" in declared:
                sort = _sort(name, declared["x-sort"], where)
        if sort is None:  # no sort parameter: the order is the id's
            grammar = SortGrammar(parameter="", fields=(), separator=",", directions={"1": False, "-1": True})
            sort = SortSpec(grammar=grammar, default=(), tie_breaker=SortKey(collection.id_field))
        pagination = _pagination(each.operation.get("x-pagination", DEFAULT_PAGINATION))
        for name in (pagination.limit, pagination.offset):
            if name not in parameters:
                raise SpecError(f"{each.where}/x-pagination: names '{name}', which is no parameter")
            try:
                bounds(parameters[name])  # the kit and the mock read the page bounds; refuse a spec without them
            except SpecError as exc:
                raise SpecError(f"{places[name]}/schema: {exc}") from exc
        return Spec(
            document=self.document,
            path=each.path,
            method=each.method,
            parameters=parameters,
            filters=filters,
            sort=sort,
            pagination=pagination,
            field_types=field_types,
            operators_by_type=self.operators_by_type,
            api_key_header=self.api_key_header,
            wire=self.wire,
            statuses=_statuses(each.operation),
            collection=collection,
            parent=parent,
        )

    def parent(self, each: Declared, name: str) -> Parent | None:
        """The collection a list's path parameter names a record of: the item operation at the path up to it,
        else the collection named by the path segment before it; None when neither (the parameter only filters)."""
        template = "{" + name + "}"
        prefix = each.path[: each.path.index(template) + len(template)]
        item = next((other for other in self.declared if other.kind == "item" and other.path == prefix), None)
        collection = self.collections.get(item.schema) if item is not None and item.schema else None
        if collection is None:
            segments = [part for part in prefix.split("/") if part]
            before = segments[-2] if len(segments) > 1 else ""
            collection = next((each for each in self.collections.values() if each.name == before), None)
        if collection is None:
            return None
        status = 404 if "404" in (each.operation.get("responses") or {}) else 200
        return Parent(parameter=name, collection=collection, unknown_status=status)

    def item_spec(self, each: Declared, operation: Operation, lists: tuple[Spec, ...]) -> ItemSpec:
        collection = self.collections[str(each.schema)]
        parameters, places, raws = self.parameters(each)
        in_path = [name for name, parameter in parameters.items() if parameter.location == "path"]
        for name in in_path:
            written = raws[name].get("x-filter")
            if written is not None and written != {"path": collection.id_field, "operator": "eq"}:
                where = f"{places[name]}/x-filter"
                raise SpecError(f"{where}: an item's path parameter selects by the id: path {collection.id_field}, eq")
        selecting = [name for name in in_path if "x-filter" in raws[name]] or in_path[-1:]
        listing = [spec for spec in lists if spec.collection is collection]
        return ItemSpec(
            operation=operation,
            collection=collection,
            id_parameter=selecting[0],
            id_schema=parameters[selecting[0]].schema,
            list=next((spec for spec in listing if spec.parent is None), listing[0] if listing else None),
            not_found_status=404,
        )


def _statuses(operation: dict[str, Any]) -> frozenset[int]:
    return frozenset(int(code) for code in operation.get("responses") or {} if str(code).isdigit())


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
    name: str,
    extension: dict[str, Any],
    field_types: dict[str, FieldType],
    wire: WireFormat,
    where: str,
    collection: Collection,
) -> FilterRule:
    if extension.get("general"):
        return FilterRule(parameter=name, general=True, wire=wire)
    written = extension.get("anyOf", [extension])
    clauses = tuple(_clause(item, field_types, f"{where}/x-filter", collection) for item in written)
    return FilterRule(parameter=name, clauses=clauses, wire=wire)


def _clause(item: dict[str, Any], field_types: dict[str, FieldType], where: str, collection: Collection) -> Clause:
    path = item["path"]
    if path not in field_types:
        raise SpecError(f"{where}: path '{path}' is not in the field catalogue of {collection.schema}")
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
