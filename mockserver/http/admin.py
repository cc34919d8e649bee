"""The mock's own endpoint, outside the spec's paths, for end-to-end suites: ``POST /__mock/reset`` puts the
request's tenant (``X-Mock-Tenant``; ``?all=true``: every tenant) back to the start dataset."""

from __future__ import annotations

import orjson
from flask import Flask, Response, request

from mockserver.http.live import tenant
from mockserver.state.tenants import State

RESET_PATH = "/__mock/reset"


def register_admin(app: Flask, state: State) -> None:
    """Add the reset route (no API key: it is the mock's, not the API's)."""

    def reset() -> Response:
        every = request.args.get("all", "").lower() in ("1", "true", "yes")
        name = None if every else tenant()
        forgotten = state.reset(name)
        body = {"tenant": "*" if name is None else name, "forgotten": forgotten}
        return Response(orjson.dumps(body), mimetype="application/json")

    app.add_url_rule(RESET_PATH, "mock reset", reset, methods=["POST"])
