"""The spec and browsable docs, served by the mock itself (Swagger UI 5 from ``flask-swagger-ui``, offline).

``/openapi.yaml`` is the spec as written, with ``servers`` pointing at the origin it was fetched from, so
tools and "Try it out" call this very mock. ``/docs`` renders the same document (OpenAPI 3.1, which Swagger UI
5 reads as it is) from ``/docs/openapi.json``, with one change for people: parameter examples move into the
descriptions, as "Try it out" would otherwise prefill every filter with them.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import flask_swagger_ui
import orjson
import yaml
from flask import Flask, Response, request, send_from_directory

from mockserver.http.links import request_origin

DOCS_PATH = "/docs"
SPEC_PATH = "/openapi.yaml"
ASSETS_PATH = f"{DOCS_PATH}/assets"
SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="{docs}/init.js"></script>
</body>
</html>
"""

# validatorUrl null: the UI would otherwise send the spec to an online validator.
_INIT = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "%s/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: true,
    validatorUrl: null,
  });
};
"""


class _NoAliases(yaml.SafeDumper):
    """Writes shared lists in full: the spec reuses YAML anchors, which readers need not resolve."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _example_into_description(parameter: dict[str, Any]) -> None:
    """Swagger UI fills "Try it out" inputs with parameter examples; filters filled in would match nothing.

    A deep object without an example would get one made up from its schema (``field=string``, a 400), so
    its example becomes an empty object: nothing is sent until the reader fills it in.
    """
    if "example" in parameter:
        example = parameter.pop("example")
        parameter["description"] = f"{parameter.get('description', '').rstrip()}\n\nExample: `{example}`"
    if parameter.get("style") == "deepObject":
        parameter["example"] = {}


def _with_server(document: dict[str, Any], origin: str) -> dict[str, Any]:
    served = copy.copy(document)
    served["servers"] = [{"url": origin, "description": "this mock server"}]
    return served


def register_docs(app: Flask, document: dict[str, Any]) -> None:
    """Routes for the spec (YAML), its rendering for the docs page (JSON), the page and the Swagger UI assets."""
    title = escape(f"{document.get('info', {}).get('title', 'API')} - docs")
    page = _PAGE.format(title=title, assets=ASSETS_PATH, docs=DOCS_PATH)
    init = _INIT % DOCS_PATH
    for_people = copy.deepcopy(document)
    for parameter in for_people.get("components", {}).get("parameters", {}).values():
        _example_into_description(parameter)

    @lru_cache(maxsize=16)
    def spec_yaml(origin: str) -> bytes:
        text = yaml.dump(_with_server(document, origin), Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
        return text.encode("utf-8")

    @lru_cache(maxsize=16)
    def spec_json(origin: str) -> bytes:
        return orjson.dumps(_with_server(for_people, origin))

    def origin() -> str:
        return request_origin(request)

    @app.get(SPEC_PATH)
    def openapi_yaml() -> Response:
        return Response(spec_yaml(origin()), mimetype="application/yaml")

    @app.get(f"{DOCS_PATH}/openapi.json")
    def openapi_json() -> Response:
        return Response(spec_json(origin()), mimetype="application/json")

    @app.get(DOCS_PATH)
    @app.get(f"{DOCS_PATH}/")
    def docs_page() -> Response:
        return Response(page, mimetype="text/html")

    @app.get(f"{DOCS_PATH}/init.js")
    def docs_init() -> Response:
        return Response(init, mimetype="text/javascript")

    @app.get(f"{ASSETS_PATH}/<path:filename>")
    def docs_asset(filename: str) -> Response:
        return send_from_directory(SWAGGER_UI_ASSETS, filename, max_age=3600)
