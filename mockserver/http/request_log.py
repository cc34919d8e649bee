"""One log line per request on the ``mockserver.requests`` logger: method, path and query, status, time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

MAX_LOGGED_TARGET = 2000
request_log = logging.getLogger("mockserver.requests")


def logged(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    """``wsgi_app`` logging each request once it is answered; a huge query is cut short in the log."""

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
