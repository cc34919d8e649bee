"""A gateway in front of an app, as staging has one: it asks every request for headers (a bearer token, a
tenant) and echoes the tenant back, so a test can prove the kit sends them everywhere and prints them nowhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from customers_serving.application import WsgiApp

ECHO_HEADER = "X-Gateway-Tenant"  # the gateway repeats the tenant it routed to, as some do


def gatekeeper(app: WsgiApp, required: Mapping[str, str], misses: list[str]) -> WsgiApp:
    """``app`` behind a gateway that answers 403 to an API request (``/v2/``; the docs stay open) without every
    ``required`` header, recorded in ``misses``, and adds ``ECHO_HEADER`` with the first required header's value
    to every answer it passes on."""
    echoed = next(iter(required.values()), "")

    def gateway(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        missing = [name for name, value in required.items() if environ.get(_environ_key(name)) != value]
        if not environ.get("PATH_INFO", "").startswith("/v2/"):
            missing = []
        if missing:
            misses.append(f"{environ.get('PATH_INFO')}?{environ.get('QUERY_STRING', '')} without {missing}")
            body = orjson.dumps({"title": "Forbidden by the gateway", "status": 403})
            start_response("403 Forbidden", [("Content-Type", "application/problem+json")])
            return [body]

        def echoing(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            return start_response(status, [*headers, (ECHO_HEADER, echoed)], *rest)

        return app(environ, echoing)

    return gateway


def _environ_key(name: str) -> str:
    return "HTTP_" + name.upper().replace("-", "_")
