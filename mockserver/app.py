"""The mock as a Flask app, wired in ``create_app``: the composition root, where the HTTP face (``http``) is put on
the stores that the start-up build (``startup``) made; each concern lives in its own module and is added here.

Everything is prepared once in ``create_app`` (spec, data, stores, parsers, default pages, the answers of the
operations served as declared); a request only parses what it sends. Every operation of the spec is served
from one dataset: each list from its collection's store, each item by id from the same store's bytes, and
every other operation as Prism would (``http.fallback``). Call ``create_app()`` for defaults, or pass a
``Config``, a ``Dataset`` and/or the ``store`` of the first list operation (a test's own store).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from customers_spec import Api, load_api
from customers_spec.datafile import Dataset
from mockserver.config import DEFAULT_SEED, Config
from mockserver.engine.store import CollectionStore, store_key
from mockserver.http.api import register_list
from mockserver.http.cors import Cors, register_cors
from mockserver.http.docs import DOCS_PATH, SPEC_PATH, register_docs
from mockserver.http.fallback import register_other
from mockserver.http.items import register_item
from mockserver.http.limits import refuse_long_queries
from mockserver.http.live import TENANT_HEADER
from mockserver.http.prefer import APPLIED_HEADER, PREFER_HEADER
from mockserver.http.problems import register_error_handlers
from mockserver.http.request_log import logged
from mockserver.remembering import live_stores, register_writes
from mockserver.startup.apart import build_apart
from mockserver.startup.building import build_stores
from mockserver.startup.grouping import store_specs
from mockserver.startup.storing import store_of_dataset


def create_app(
    config: Config | None = None, *, dataset: Dataset | None = None, store: CollectionStore | None = None
) -> Flask:
    """The mock as a WSGI app; spec and data are loaded here, once, and never per request. ``store``: the store
    the first list operation answers from, in place of one built from the data."""
    config = (config or Config()).with_env_keys()
    api = load_api(config.spec)
    stores = _stores(api, config, dataset, store)
    app = Flask(__name__)
    app.config["MOCKSERVER"] = config
    app.extensions["mockserver.store"] = next(iter(stores.values()), None)  # the first list's
    app.extensions["mockserver.stores"] = stores
    app.extensions["mockserver.api"] = api
    register_error_handlers(app, [each.key for each in api.operations], pages=(f"GET {DOCS_PATH}", f"GET {SPEC_PATH}"))
    register_docs(app, api.document)
    register_cors(app, _cors(api, config))
    _register_operations(app, api, config, stores)
    refuse_long_queries(app)
    if config.log_requests:
        app.wsgi_app = logged(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _stores(
    api: Api, config: Config, dataset: Dataset | None, given: CollectionStore | None
) -> dict[str, CollectionStore]:
    """Every store the operations answer from, by ``store_key``; built in a child process unless a dataset is
    given (``apart``), the first from ``given`` when a test passes its own."""
    specs = store_specs(api)
    first = next(iter(specs), None)
    wanted = {key: spec for key, spec in specs.items() if not (given is not None and key == first)}
    if dataset is not None:  # ``store_of_dataset`` looked up here, so a test may still stand in for it
        built = {key: store_of_dataset(spec, dataset) for key, spec in wanted.items()}
    elif wanted:
        built = build_apart(lambda: build_stores(wanted, config))
    else:
        built = {}
    if given is not None and first is not None:
        built = {first: given, **built}
    return {key: built[key] for key in specs}


def _register_operations(app: Flask, api: Api, config: Config, stores: Mapping[str, CollectionStore]) -> None:
    """A route for every operation, in document order: lists and items from the stores (the request's tenant's,
    where the spec declares writes), writes into the shared state, the rest as declared."""
    specs = store_specs(api)
    by_collection: dict[str, CollectionStore] = {}
    spec_of: dict[str, str] = {}
    for key, spec in specs.items():
        by_collection.setdefault(spec.collection.name, stores[key])
        spec_of.setdefault(spec.collection.name, key)
    live, state = live_stores(api, config, specs, stores, spec_of)
    app.extensions["mockserver.state"] = state
    writes = register_writes(app, api, config, specs, spec_of, state) if state is not None else set()
    current = live if state is not None else None
    seed = DEFAULT_SEED if config.seed is None else config.seed
    for operation in api.operations:
        listed, item = api.list_of(operation), api.item_of(operation)
        if id(operation) in writes:
            continue
        if listed is not None:
            register_list(app, listed, config, stores[store_key(listed)], by_collection, current)
        elif item is not None and item.collection.name in spec_of:
            key = spec_of[item.collection.name]
            register_item(app, item, specs[key], config, stores[key], current)
        else:
            register_other(app, api.document, operation, api.api_key_header, config, seed)


def _cors(api: Api, config: Config) -> Cors:
    """CORS for the configured origins: the spec's methods, the key and ``Prefer`` sent, the paging headers read."""
    exposed = [header for spec in api.lists for header in (spec.pagination.total_header, spec.pagination.link_header)]
    written = ["Content-Type", TENANT_HEADER] if api.writes else []  # a JSON body, and the tenant of a test worker
    methods = sorted({operation.method.upper() for operation in api.operations}) or ["GET"]
    return Cors(
        config.cors_origins,
        methods=methods,
        request_headers=[header for header in (api.api_key_header, PREFER_HEADER, *written) if header],
        exposed_headers=[*dict.fromkeys(exposed), APPLIED_HEADER, *(["Location"] if api.writes else [])],
    )
