"""The route of the operation: GET /v2/customers (and its trailing-slash spelling) answered from the store."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, Response, request
from werkzeug.exceptions import BadRequest

from customers_spec import Spec
from customers_spec.wire import Pairs, decode_query
from mockserver.config import Config
from mockserver.engine.cache import LruCache
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.store import CustomerStore
from mockserver.http.auth import api_key_checker
from mockserver.http.limits import MAX_QUERY_FIELDS
from mockserver.http.links import build_link_header, request_origin
from mockserver.http.params import QueryParser
from mockserver.http.prefer import APPLIED_HEADER, PREFER_HEADER, apply_delay, forced_problems, preferences
from mockserver.http.problems import json_problem

# A frontend repeats the same few queries: their parsed form is kept (a few KB each), the pages are not.
PARSED_QUERIES_KEPT = 256
MAX_KEPT_QUERY_BYTES = 2048  # so that the kept queries stay small whatever clients send


def register_api(app: Flask, spec: Spec, config: Config, store: CustomerStore) -> None:
    """Add the operation's route; its parser, default page and forced problems are prepared here, once."""
    parser = QueryParser(spec, lenient=config.lenient)
    pagination = spec.pagination
    default_page: Page = store.query(parser.defaults)
    check_key = api_key_checker(spec.api_key_header, config.api_keys)
    forced = forced_problems(spec)
    parsed: LruCache[tuple[Pairs, Criteria]] = LruCache(PARSED_QUERIES_KEPT)

    @lru_cache(maxsize=64)
    def default_links(base_url: str) -> str:
        defaults = parser.defaults
        return build_link_header(base_url, (), pagination, defaults.offset, defaults.limit, default_page.total)

    def base_url() -> str:
        """The operation's URL at the origin the request came to; both path spellings link the canonical one."""
        return request_origin(request) + spec.path

    def list_customers() -> Response:
        preferred = preferences(request.headers.get(PREFER_HEADER))
        applied = apply_delay(config.delay_ms, preferred)
        status = preferred.get("code")
        if status in forced:
            applied.append(f"code={status}")
            return json_problem(forced[status], {APPLIED_HEADER: ", ".join(applied)})
        check_key(request.headers.get(spec.api_key_header))
        query = request.query_string
        if query:
            if len(query) <= MAX_KEPT_QUERY_BYTES:
                pairs, criteria = parsed.get_or_make(query, lambda: _parse(parser, query))
            else:
                pairs, criteria = _parse(parser, query)
            page = store.query(criteria)
            links = build_link_header(base_url(), pairs, pagination, criteria.offset, criteria.limit, page.total)
        else:
            page, links = default_page, default_links(base_url())
        headers = {pagination.total_header: str(page.total), pagination.link_header: links}
        if applied:
            headers[APPLIED_HEADER] = ", ".join(applied)
        return Response(page.body, headers=headers, mimetype="application/json")

    # Both spellings answer identically, without a redirect.
    app.add_url_rule(spec.path, "list_customers", list_customers, methods=["GET"])
    app.add_url_rule(f"{spec.path}/", "list_customers_slash", list_customers, methods=["GET"])


def _parse(parser: QueryParser, query: bytes) -> tuple[Pairs, Criteria]:
    """A raw query string's pairs and criteria; raises the 400 (never cached) when it is invalid."""
    try:
        pairs = decode_query(query, max_fields=MAX_QUERY_FIELDS)
    except ValueError as exc:
        raise BadRequest(f"A request may have at most {MAX_QUERY_FIELDS} query parameters.") from exc
    return pairs, parser.parse(pairs)
