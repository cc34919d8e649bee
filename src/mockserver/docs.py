"""The spec and browsable docs, served by the mock itself (Swagger UI from ``swagger-ui-bundle``, offline).

``/openapi.yaml`` is the spec as written, with ``servers`` pointing at the origin it was fetched from, so
tools and "Try it out" call this very mock. The bundled Swagger UI (4.x) renders OpenAPI 3.0 only, so
``/docs`` reads an equivalent 3.0 rendering of the same document from ``/docs/openapi.json``.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from html import escape
from typing import Any

import orjson
import yaml
from flask import Flask, Response, request, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from mockserver.links import request_origin

DOCS_PATH = "/docs"
SPEC_PATH = "/openapi.yaml"
ASSETS_PATH = f"{DOCS_PATH}/assets"

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


def as_openapi_30(node: Any) -> Any:
    """A 3.1 schema tree rewritten in 3.0 terms: ``type: [x, 'null']``/null branches as ``nullable``."""
    if isinstance(node, list):
        return [as_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_openapi_30(value) for key, value in node.items()}
    kind = node.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [item for item in kind if item != "null"]
        node["type"], node["nullable"] = (rest[0] if len(rest) == 1 else rest), True
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for combinator in ("anyOf", "oneOf"):
        branches = node.get(combinator)
        if isinstance(branches, list) and {"type": "null"} in branches:
            kept = [branch for branch in branches if branch != {"type": "null"}]
            node.pop(combinator)
            node.update({"allOf": kept} if len(kept) == 1 else {combinator: kept})
            node["nullable"] = True
    return node


def _example_into_description(parameter: dict[str, Any]) -> None:
    """Swagger UI fills "Try it out" inputs with parameter examples; filters filled in would match nothing."""
    if "example" in parameter:
        example = parameter.pop("example")
        parameter["description"] = f"{parameter.get('description', '').rstrip()}\n\nExample: `{example}`"


def _with_server(document: dict[str, Any], origin: str) -> dict[str, Any]:
    served = copy.copy(document)
    served["servers"] = [{"url": origin, "description": "this mock server"}]
    return served


def register_docs(app: Flask, document: dict[str, Any]) -> None:
    """Routes for the spec (YAML), its 3.0 rendering (JSON), the docs page and the Swagger UI assets."""
    title = escape(f"{document.get('info', {}).get('title', 'API')} - docs")
    page = _PAGE.format(title=title, assets=ASSETS_PATH, docs=DOCS_PATH)
    init = _INIT % DOCS_PATH
    legacy = {**as_openapi_30(document), "openapi": "3.0.3"}
    legacy.get("info", {}).get("license", {}).pop("identifier", None)
    for parameter in legacy.get("components", {}).get("parameters", {}).values():
        _example_into_description(parameter)

    @lru_cache(maxsize=16)
    def spec_yaml(origin: str) -> bytes:
        text = yaml.dump(_with_server(document, origin), Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
        return text.encode("utf-8")

    @lru_cache(maxsize=16)
    def spec_json(origin: str) -> bytes:
        return orjson.dumps(_with_server(legacy, origin))

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
        return send_from_directory(swagger_ui_path, filename, max_age=3600)
