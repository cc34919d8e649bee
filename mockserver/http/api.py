"""The routes of the spec's list operations, each answered from its collection's store: GET /v2/customers (and
its other spellings, ``x-also-at``), the sites, a customer's sites (a path parameter that filters, its parent
looked up first), whatever list a team adds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache

from flask import Flask, Response, request
from werkzeug.exceptions import BadRequest

from customers_spec import Spec
from customers_spec.model import Parent, path_parameters
from customers_spec.wire import Pairs, decode_query
from mockserver.config import Config
from mockserver.engine.cache import LruCache
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.store import CollectionStore, store_key
from mockserver.http.guard import Guard
from mockserver.http.limits import MAX_QUERY_FIELDS
from mockserver.http.links import build_link_header, request_origin
from mockserver.http.live import Live
from mockserver.http.params import PathParameters, QueryParser
from mockserver.http.prefer import APPLIED_HEADER
from mockserver.http.problems import problem_response

# A frontend repeats the same few queries: their parsed form is kept (a few KB each), the pages are not.
PARSED_QUERIES_KEPT = 256
MAX_KEPT_QUERY_BYTES = 2048  # so that the kept queries stay small whatever clients send

View = Callable[..., Response]


def flask_rule(template: str) -> tuple[str, dict[str, str]]:
    """The Flask rule of an OpenAPI path template (``{customerId}`` -> ``<p0>``: a spec's names need not be
    Python names) and, per rule variable, the parameter it is."""
    names = path_parameters(template)
    rule = template
    for number, name in enumerate(names):
        rule = rule.replace("{" + name + "}", f"<p{number}>", 1)
    return rule, {f"p{number}": name for number, name in enumerate(names)}


def add_routes(app: Flask, method: str, template: str, spellings: list[str], endpoint: str, view: View) -> None:
    """``view`` at the template and at each other spelling the operation declares (``x-also-at``), answering
    identically, without a redirect; the view gets the path's values by parameter name."""
    for number, path in enumerate([template, *spellings]):
        rule, names = flask_rule(path)

        def routed(_names: dict[str, str] = names, **segments: str) -> Response:
            return view(**{_names[key]: value for key, value in segments.items()})

        app.add_url_rule(rule, f"{endpoint}_{number}", routed, methods=[method.upper()])


def register_list(
    app: Flask,
    spec: Spec,
    config: Config,
    store: CollectionStore,
    parents: Mapping[str, CollectionStore],
    live: Live | None = None,
) -> None:
    """Add a list operation's routes; its parser, default page and forced problems are prepared here, once.
    ``parents``: the store of each collection by name (a sub-collection looks its parent up there); ``live``:
    the stores of the request's tenant, where the spec declares writes (the default page is the start's)."""
    parser = QueryParser(spec, lenient=config.lenient)
    pagination = spec.pagination
    guard = Guard(spec.document, spec.operation, spec.api_key_header, config)
    parsed: LruCache[tuple[Pairs, Criteria]] = LruCache(PARSED_QUERIES_KEPT)
    in_path = [spec.parameters[name] for name in spec.path_parameters]
    path_values = PathParameters(spec, in_path)
    parent = spec.parent
    parent_store = parents.get(parent.collection.name) if parent and parent.unknown_status == 404 else None
    default_page: Page | None = None if in_path else store.query(parser.defaults)
    key = store_key(spec)
    grouped = _grouped_by(spec)  # a sub-collection's default pages are slices of groups made now, before the fork
    groups = store.groups(grouped, parser.defaults.sort) if grouped is not None else None
    if parent_store is not None and parent is not None:
        parent_store.lookup(parent.collection.id_field)

    @lru_cache(maxsize=64)
    def default_links(base_url: str, total: int) -> str:
        defaults = parser.defaults
        return build_link_header(base_url, (), pagination, defaults.offset, defaults.limit, total)

    def list_view(**values: str) -> Response:
        applied, forced = guard.enter()
        if forced is not None:
            return forced
        path = spec.url_path(values) if values else spec.path  # both spellings link the canonical one
        extra = path_values.read(values) if values else ()
        current, parent_now = store, parent_store
        if live is not None:
            stores = live.stores()
            current = stores[key]
            if parent_store is not None and parent is not None:
                parent_now = live.of_collection(stores, parent.collection.name) or parent_store
        if parent_now is not None and _unknown(parent_now, parent, values):
            return problem_response(404, _no_parent(parent, values))
        query = request.query_string
        if (
            not query and groups is not None and current is store
        ):  # the start's groups: a tenant's writes are not in them
            defaults = parser.defaults
            page = store.group_page(groups, values[spec.path_parameters[0]], defaults.offset, defaults.limit)
            base = request_origin(request) + path
            links = build_link_header(base, (), pagination, defaults.offset, defaults.limit, page.total)
        elif query or extra or default_page is None or current is not store:
            pairs: Pairs = ()
            if not query:
                criteria = parser.defaults
            elif len(query) <= MAX_KEPT_QUERY_BYTES:
                pairs, criteria = parsed.get_or_make(query, lambda: _parse(parser, query))
            else:
                pairs, criteria = _parse(parser, query)
            if extra:
                criteria = replace(criteria, conditions=(*extra, *criteria.conditions))
            page = current.query(criteria)
            base = request_origin(request) + path
            links = build_link_header(base, pairs, pagination, criteria.offset, criteria.limit, page.total)
        else:
            page = default_page
            links = default_links(request_origin(request) + path, page.total)
        headers = {pagination.total_header: str(page.total), pagination.link_header: links}
        if applied:
            headers[APPLIED_HEADER] = ", ".join(applied)
        return Response(page.body, headers=headers, mimetype="application/json")

    spellings = [str(path) for path in spec.operation.get("x-also-at", [])]
    add_routes(app, spec.method, spec.path, spellings, f"list {spec.operation_id}", list_view)


def _grouped_by(spec: Spec) -> str | None:
    """The path a list's one path parameter selects by equality (a sub-collection's parent), if that is all it
    does: its default pages are then slices of the collection grouped by that path."""
    if len(spec.path_parameters) != 1:
        return None
    rule = spec.filters.get(spec.path_parameters[0])
    if rule is None or rule.general or len(rule.clauses) != 1:
        return None
    (clause,) = rule.clauses
    plain = clause.operator == "eq" and clause.via is None and clause.when is None
    return clause.path if plain else None


def _unknown(store: CollectionStore, parent: Parent | None, values: Mapping[str, str]) -> bool:
    """Whether the parent the path names has no record in its collection's store."""
    return parent is not None and store.position(parent.collection.id_field, values[parent.parameter]) is None


def _no_parent(parent: Parent | None, values: Mapping[str, str]) -> str:
    assert parent is not None
    collection = parent.collection
    return f"No record of {collection.name} has the {collection.id_field} {values[parent.parameter]}."


def _parse(parser: QueryParser, query: bytes) -> tuple[Pairs, Criteria]:
    """A raw query string's pairs and criteria; raises the 400 (never cached) when it is invalid."""
    try:
        pairs = decode_query(query, max_fields=MAX_QUERY_FIELDS)
    except ValueError as exc:
        raise BadRequest(f"A request may have at most {MAX_QUERY_FIELDS} query parameters.") from exc
    return pairs, parser.parse(pairs)
