"""The mock as a Flask app, wired in ``create_app``: the composition root, where the HTTP face (``http``) is put on
the store that the start-up build (``startup``) made; each concern lives in its own module and is added here.

Everything is prepared once in ``create_app`` (spec, data, store, parser, the default page); a request only
parses what it sends. Call ``create_app()`` for defaults, or pass a ``Config`` and/or a ``Dataset``.
"""

from __future__ import annotations

from flask import Flask

from customers_spec import Spec, load_spec
from customers_spec.datafile import Dataset
from mockserver.config import Config
from mockserver.http.api import register_api
from mockserver.http.cors import Cors, register_cors
from mockserver.http.docs import DOCS_PATH, SPEC_PATH, register_docs
from mockserver.http.limits import refuse_long_queries
from mockserver.http.prefer import APPLIED_HEADER, PREFER_HEADER
from mockserver.http.problems import register_error_handlers
from mockserver.http.request_log import logged
from mockserver.startup.apart import build_apart
from mockserver.startup.building import build_store
from mockserver.startup.storing import store_of_dataset


def create_app(config: Config | None = None, *, dataset: Dataset | None = None) -> Flask:
    """The mock as a WSGI app; spec and data are loaded here, once, and never per request."""
    config = (config or Config()).with_env_keys()
    spec = load_spec(config.spec)
    # Without a dataset, built in a child process: the server keeps only the store (``apart``).
    store = build_apart(lambda: build_store(spec, config)) if dataset is None else store_of_dataset(spec, dataset)
    app = Flask(__name__)
    app.config["MOCKSERVER"] = config
    app.extensions["mockserver.store"] = store
    register_error_handlers(app, f"{spec.method.upper()} {spec.path}", pages=(f"GET {DOCS_PATH}", f"GET {SPEC_PATH}"))
    register_docs(app, spec.document)
    register_cors(app, _cors(spec, config))
    register_api(app, spec, config, store)
    refuse_long_queries(app)
    if config.log_requests:
        app.wsgi_app = logged(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _cors(spec: Spec, config: Config) -> Cors:
    """CORS for the configured origins, letting a frontend send the key and read the paging headers."""
    pagination = spec.pagination
    return Cors(
        config.cors_origins,
        methods=["GET"],
        request_headers=[spec.api_key_header, PREFER_HEADER],
        exposed_headers=[pagination.total_header, pagination.link_header, APPLIED_HEADER],
    )
