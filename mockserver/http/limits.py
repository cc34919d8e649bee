"""Bounds on what a request may carry, so that no query costs more than any valid one could."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestURITooLarge

MAX_QUERY_BYTES = 256 * 1024  # a 64 KB value fits even fully percent-encoded; gunicorn uses the same bound
MAX_QUERY_FIELDS = 1000


def refuse_long_queries(app: Flask) -> None:
    """A query longer than any valid one is a 414, as gunicorn answers a longer request line."""

    @app.before_request
    def refuse() -> None:
        if len(request.environ.get("QUERY_STRING", "")) > MAX_QUERY_BYTES:
            raise RequestURITooLarge(f"The query string is longer than {MAX_QUERY_BYTES} bytes.")
