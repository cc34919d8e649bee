"""CORS for frontends on other origins: any origin by default, or only the configured ones."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, request

MAX_AGE_SECONDS = 600


class Cors:
    """Adds the CORS headers to every answer and answers preflights, without asking for the API key."""

    def __init__(
        self,
        origins: Iterable[str] | None,
        *,
        methods: Iterable[str],
        request_headers: Iterable[str],
        exposed_headers: Iterable[str],
    ) -> None:
        self._origins = None if origins is None else frozenset(origins)
        self._exposed = ", ".join(exposed_headers)
        self._preflight = {
            "Access-Control-Allow-Methods": ", ".join(methods),
            "Access-Control-Allow-Headers": ", ".join(request_headers),
            "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
        }

    def allowed_origin(self, origin: str | None) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for a request from ``origin``, or None to refuse."""
        if self._origins is None:
            return "*"
        return origin if origin in self._origins else None

    def decorate(self, response: Response, origin: str | None) -> Response:
        """Let the browser hand this answer, and its paging headers, to a script of an allowed origin."""
        allowed = self.allowed_origin(origin)
        if self._origins is not None:
            response.vary.add("Origin")
        if allowed is not None:
            response.headers["Access-Control-Allow-Origin"] = allowed
            response.headers["Access-Control-Expose-Headers"] = self._exposed
        return response

    def preflight(self, origin: str | None, allow: str) -> Response:
        """The answer to an OPTIONS request: 204 with what a cross-origin GET may send."""
        response = Response(status=204, headers={"Allow": allow})
        del response.headers["Content-Type"]  # a 204 has no body to describe
        if self.allowed_origin(origin) is not None:
            response.headers.update(self._preflight)
        return response


def register_cors(app: Flask, cors: Cors) -> None:
    """Answer preflights before any API key check, for every route that exists, and decorate every answer."""

    @app.before_request
    def preflight() -> Response | None:
        if request.method != "OPTIONS" or request.url_rule is None:
            return None
        allow = ", ".join(sorted(request.url_rule.methods or ()))
        return cors.preflight(request.headers.get("Origin"), allow)

    @app.after_request
    def decorate(response: Response) -> Response:
        return cors.decorate(response, request.headers.get("Origin"))
