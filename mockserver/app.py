"""The Flask app of the mock: GET /v2/customers from the store, plus docs and frontend helpers.

Everything is prepared once in ``create_app`` (spec, data, store, parser, the default page); a request only
parses what it sends. Call ``create_app()`` for defaults, or pass a ``Config`` and/or a ``Dataset``.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from flask import Flask, Response, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, RequestURITooLarge, Unauthorized

from customers_spec import Spec, load_spec
from customers_spec.loader import resolve
from mockserver.apart import build_apart
from mockserver.cache import LruCache
from mockserver.config import MAX_DELAY_MS, Config
from mockserver.cors import Cors
from mockserver.criteria import Criteria, Page
from mockserver.dataset import Dataset, default_dataset, load_dataset
from mockserver.docs import register_docs
from mockserver.links import link_header, request_origin
from mockserver.params import QueryParser, query_pairs
from mockserver.problems import PROBLEM_TYPE, json_problem, problem_body, register_error_handlers
from mockserver.store import CustomerStore

MAX_QUERY_BYTES = 256 * 1024  # a 64 KB value fits even fully percent-encoded; gunicorn uses the same bound
MAX_QUERY_FIELDS = 1000
MAX_LOGGED_TARGET = 2000
# A frontend repeats the same few queries: their parsed form is kept (a few KB each), the pages are not.
PARSED_QUERIES_KEPT = 256
MAX_KEPT_QUERY_BYTES = 2048  # so that the kept queries stay small whatever clients send
PREFER_HEADER = "Prefer"
request_log = logging.getLogger("mockserver.requests")


def load_data(config: Config, spec: Spec) -> Dataset:
    """The configured dataset: generated in memory, read from a file, or the shipped default."""
    if config.count is not None:
        from mockserver.data_commands import DEFAULT_SEED  # Faker is imported only when generating
        from mockserver.generate import generate_dataset

        return generate_dataset(config.count, DEFAULT_SEED if config.seed is None else config.seed)
    return load_dataset(config.data, spec) if config.data is not None else default_dataset(spec)


def create_app(config: Config | None = None, *, dataset: Dataset | None = None) -> Flask:
    """The mock as a WSGI app; spec and data are loaded here, once, and never per request."""
    config = (config or Config()).with_env_keys()
    spec = load_spec()
    if dataset is None:  # loaded and indexed in a child process: the server keeps only the store (``apart``)
        store = build_apart(lambda: CustomerStore.build(spec, load_data(config, spec)))
    else:
        store = CustomerStore.build(spec, dataset)
    app = Flask(__name__)
    app.config["MOCKSERVER"] = config
    app.extensions["mockserver.store"] = store
    register_error_handlers(app)
    register_docs(app, spec.document)
    _register_cors(app, spec, config)
    _register_api(app, spec, config, store)
    _refuse_long_queries(app)
    if config.log_requests:
        app.wsgi_app = _logged(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _register_api(app: Flask, spec: Spec, config: Config, store: CustomerStore) -> None:
    parser = QueryParser(spec, lenient=config.lenient)
    pagination = spec.pagination
    default_page: Page = store.query(parser.defaults)
    authenticate = _authenticator(spec.api_key_header, config.api_keys)
    forced = _forced_problems(spec)
    parsed: LruCache[tuple[list[tuple[str, str]], Criteria]] = LruCache(PARSED_QUERIES_KEPT)

    @lru_cache(maxsize=64)
    def default_links(base_url: str) -> str:
        defaults = parser.defaults
        return link_header(base_url, (), pagination, defaults.offset, defaults.limit, default_page.total)

    def base_url() -> str:
        """The operation's URL at the origin the request came to; both path spellings link the canonical one."""
        return request_origin(request) + spec.path

    def list_customers() -> Response:
        preferences = _preferences(request.headers.get(PREFER_HEADER))
        applied = _delay(config.delay_ms, preferences)
        status = preferences.get("code")
        if status in forced:
            applied.append(f"code={status}")
            return json_problem(forced[status], {"Preference-Applied": ", ".join(applied)})
        authenticate(request.headers.get(spec.api_key_header))
        query = request.query_string
        if query:
            if len(query) <= MAX_KEPT_QUERY_BYTES:
                pairs, criteria = parsed.get_or_make(query, lambda: _parse(parser, query))
            else:
                pairs, criteria = _parse(parser, query)
            page = store.query(criteria)
            links = link_header(base_url(), pairs, pagination, criteria.offset, criteria.limit, page.total)
        else:
            page, links = default_page, default_links(base_url())
        headers = {pagination.total_header: str(page.total), pagination.link_header: links}
        if applied:
            headers["Preference-Applied"] = ", ".join(applied)
        return Response(page.body, headers=headers, mimetype="application/json")

    # Both spellings answer identically, without a redirect.
    app.add_url_rule(spec.path, "list_customers", list_customers, methods=["GET"])
    app.add_url_rule(f"{spec.path}/", "list_customers_slash", list_customers, methods=["GET"])


def _parse(parser: QueryParser, query: bytes) -> tuple[list[tuple[str, str]], Criteria]:
    """A raw query string's pairs and criteria; raises the 400 (never cached) when it is invalid."""
    try:
        pairs = query_pairs(query, MAX_QUERY_FIELDS)
    except ValueError:
        raise BadRequest(f"A request may have at most {MAX_QUERY_FIELDS} query parameters.") from None
    return pairs, parser.parse(pairs)


def _authenticator(header: str, keys: Iterable[str]) -> Callable[[str | None], None]:
    """Checks the API key header: present, and one of ``keys`` when any are configured."""
    accepted = tuple(key.encode("utf-8") for key in keys)
    challenge = WWWAuthenticate("ApiKey", {"header": header})

    def authenticate(given: str | None) -> None:
        if not given or not given.strip():
            raise Unauthorized(f"The {header} header is missing.", www_authenticate=challenge)
        if accepted:
            candidate = _raw_bytes(given)
            matched = False
            for key in accepted:  # every key is compared, so timing does not tell which one was close
                matched |= hmac.compare_digest(candidate, key)
            if not matched:
                raise Unauthorized(f"The key in the {header} header is not accepted.", www_authenticate=challenge)

    return authenticate


def _raw_bytes(header_value: str) -> bytes:
    """The bytes a client sent: WSGI hands header values over decoded as Latin-1."""
    try:
        return header_value.encode("latin-1")
    except UnicodeEncodeError:  # not from a WSGI server (e.g. a test client passing text)
        return header_value.encode("utf-8")


def _preferences(header: str | None) -> dict[str, int]:
    """The numeric preferences of a ``Prefer`` header (RFC 7240), e.g. ``code=400, delay=500``; others ignored."""
    if not header:
        return {}
    found: dict[str, int] = {}
    for item in header.replace(";", ",").split(","):
        name, equals, value = item.partition("=")
        value = value.strip().strip('"')
        if equals and value.isascii() and value.isdigit() and len(value) < 10:
            found.setdefault(name.strip().lower(), int(value))
    return found


def _delay(configured_ms: int, preferences: dict[str, int]) -> list[str]:
    """Sleep as configured, or as ``Prefer: delay=MS`` asks instead (at most MAX_DELAY_MS)."""
    applied: list[str] = []
    delay_ms = configured_ms
    if "delay" in preferences:
        delay_ms = min(preferences["delay"], MAX_DELAY_MS)
        applied.append(f"delay={delay_ms}")
    if delay_ms:
        time.sleep(delay_ms / 1000)
    return applied


def _forced_problems(spec: Spec) -> dict[int, dict[str, Any]]:
    """The bodies ``Prefer: code=N`` returns: the spec's example for N where it has one, else a plain one."""
    bodies: dict[int, dict[str, Any]] = {}
    for code, response in spec.operation.get("responses", {}).items():
        example = _problem_example(spec, response)
        if example is not None:
            bodies[int(code)] = example
    for code in (400, 401, 403, 404, 429, 500, 502, 503):
        bodies.setdefault(
            code, problem_body(code, f"Returned because the request asked for it ({PREFER_HEADER}: code={code}).")
        )
    return bodies


def _problem_example(spec: Spec, response: dict[str, Any]) -> dict[str, Any] | None:
    content = resolve(spec.document, response).get("content", {}).get(PROBLEM_TYPE, {})
    example = content.get("example")
    return example if isinstance(example, dict) and "status" in example else None


def _register_cors(app: Flask, spec: Spec, config: Config) -> None:
    pagination = spec.pagination
    cors = Cors(
        config.cors_origins,
        methods=["GET"],
        request_headers=[spec.api_key_header, PREFER_HEADER],
        exposed_headers=[pagination.total_header, pagination.link_header, "Preference-Applied"],
    )

    @app.before_request
    def preflight() -> Response | None:
        """OPTIONS is answered here, before any API key check, for every route that exists."""
        if request.method != "OPTIONS" or request.url_rule is None:
            return None
        allow = ", ".join(sorted(request.url_rule.methods or ()))
        return cors.preflight(request.headers.get("Origin"), allow)

    @app.after_request
    def decorate(response: Response) -> Response:
        return cors.decorate(response, request.headers.get("Origin"))


def _refuse_long_queries(app: Flask) -> None:
    """A query longer than any valid one is a 414, as gunicorn answers a longer request line."""

    @app.before_request
    def refuse() -> None:
        if len(request.environ.get("QUERY_STRING", "")) > MAX_QUERY_BYTES:
            raise RequestURITooLarge(f"The query string is longer than {MAX_QUERY_BYTES} bytes.")


def _logged(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    """One line per request on the ``mockserver.requests`` logger: method, path and query, status, time."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        status = "-"

        def start(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            nonlocal status
            status = line.partition(" ")[0]
            return start_response(line, headers, exc_info)

        try:
            return wsgi_app(environ, start)
        finally:
            query = environ.get("QUERY_STRING")
            target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            if len(target) > MAX_LOGGED_TARGET:
                target = f"{target[:MAX_LOGGED_TARGET]}… ({len(target)} characters)"
            elapsed = (time.perf_counter() - started) * 1000
            request_log.info("%s %s %s %.1fms", environ.get("REQUEST_METHOD"), target, status, elapsed)

    return app
