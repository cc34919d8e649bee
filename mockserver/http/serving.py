"""Serving the mock under gunicorn: data loaded once in the master, workers forked from it.

Binding and spreading connections over the workers is ``customers_serving``'s (the proxy serves the same way).
Gunicorn answers an over-long request line with 414 and over-large headers with 431 before the app sees them;
its request-line limit is raised so a 64 KB query still reaches the app, which then answers 400 or 200.
"""

from __future__ import annotations

import gc
import logging
import socket
import sys

from flask import Flask
from gunicorn.http import message as gunicorn_message

from customers_serving.application import PreloadedApplication
from mockserver.config import MAX_DELAY_MS, Config
from mockserver.http.limits import MAX_QUERY_BYTES

# Method, path, "HTTP/1.1" and separators on top of the longest query the app reads.
REQUEST_LINE_LIMIT = MAX_QUERY_BYTES + 8 * 1024
# gthread whose threads never wait for a request head (``mockserver.http.headfirst``): clients that send half a
# request and wait hold no thread, and are closed in bounded time.
WORKER_CLASS = "mockserver.http.headfirst.HeadFirstWorker"
THREADS_PER_WORKER = 8  # requests with a Prefer delay must not hold up the others
WORKER_CONNECTIONS = 1000  # per worker, open at once (stalled ones included)
KEEPALIVE_S = 5


def configure_logging(quiet: bool) -> None:
    """Request lines and unexpected errors of the mock to stderr; ``quiet`` drops the request lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("mockserver")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    logging.getLogger("mockserver.requests").setLevel(logging.WARNING if quiet else logging.INFO)


def serve(app: Flask, listener: socket.socket, config: Config) -> None:
    """Run gunicorn on ``listener`` until it is stopped (SIGTERM/SIGINT)."""
    # Gunicorn caps limit_request_line at this module constant; lift the cap to the limit set above.
    gunicorn_message.MAX_REQUEST_LINE = max(gunicorn_message.MAX_REQUEST_LINE, REQUEST_LINE_LIMIT + 1)
    gc.freeze()  # what the master holds now lives as long as the workers: their collections need not walk it
    settings = {
        "workers": config.workers,
        "worker_class": WORKER_CLASS,
        "threads": THREADS_PER_WORKER,
        "worker_connections": WORKER_CONNECTIONS,
        "timeout": MAX_DELAY_MS // 1000 + 30,
        "graceful_timeout": 5,
        "keepalive": KEEPALIVE_S,
        "limit_request_line": REQUEST_LINE_LIMIT,
        "proc_name": "mockserver",
    }
    PreloadedApplication(app, listener, settings).run()
