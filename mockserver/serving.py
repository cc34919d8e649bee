"""Serving the app under gunicorn: data loaded once in the master, workers forked from it.

The CLI binds the address itself first, so "port in use" is one clear line rather than gunicorn's retries.
On Linux each worker then listens on a socket of its own with ``SO_REUSEPORT``, and the kernel spreads new
connections across the workers: with one shared socket, the worker that wakes first accepts a whole burst of
keep-alive connections and serves them alone while the other idles (measured: half the throughput). The
master keeps the address bound, not listening, so no other server can take the port while gunicorn runs.
Elsewhere the workers share the CLI's listening socket (``fd://N``).

Gunicorn answers an over-long request line with 414 and over-large headers with 431 before the app sees them;
its request-line limit is raised so a 64 KB query still reaches the app, which then answers 400 or 200.
"""

from __future__ import annotations

import gc
import logging
import socket
import sys
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.http import message as gunicorn_message

from customers_spec.errors import KitError
from mockserver.config import MAX_DELAY_MS, Config
from mockserver.limits import MAX_QUERY_BYTES
from mockserver.store import release_freed_memory

# Method, path, "HTTP/1.1" and separators on top of the longest query the app reads.
REQUEST_LINE_LIMIT = MAX_QUERY_BYTES + 8 * 1024
# gthread whose threads never wait for a request head (``mockserver.headfirst``): clients that send half a
# request and wait hold no thread, and are closed in bounded time.
WORKER_CLASS = "mockserver.headfirst.HeadFirstWorker"
THREADS_PER_WORKER = 8  # requests with a Prefer delay must not hold up the others
WORKER_CONNECTIONS = 1000  # per worker, open at once (stalled ones included)
KEEPALIVE_S = 5


class StartupError(KitError):
    """The server cannot start (e.g. the port is taken); reported as one line."""


# Spreading connections over per-worker sockets needs Linux's SO_REUSEPORT (BSD and macOS do not balance).
BALANCED = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind(host: str, port: int) -> socket.socket:
    """The address, bound now so a taken port or a bad host fails before anything forks; port 0 picks one.

    Where ``BALANCED``, the socket is only a reservation (bound with ``SO_REUSEPORT``, never listening: the
    workers listen on their own sockets); elsewhere it is the listening socket the workers share.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise StartupError(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    listener = _bound(family, kind, proto, address, host, port, reuse_port=False)
    if not BALANCED:
        listener.listen(2048)
        listener.set_inheritable(True)
        return listener
    # A plain bind proved the port free (even of other SO_REUSEPORT servers); now reserve it for our workers.
    concrete = listener.getsockname()
    listener.close()
    return _bound(family, kind, proto, concrete, host, port, reuse_port=True)


def _bound(
    family: int, kind: int, proto: int, address: Any, host: str, port: int, *, reuse_port: bool
) -> socket.socket:
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def gunicorn_address(listener: socket.socket) -> str:
    """What gunicorn binds: the reserved address (each worker its own socket), or the shared socket."""
    if not BALANCED:
        return f"fd://{listener.fileno()}"
    host, port = listener.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def configure_logging(quiet: bool) -> None:
    """Request lines and unexpected errors of the mock to stderr; ``quiet`` drops the request lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("mockserver")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    logging.getLogger("mockserver.requests").setLevel(logging.WARNING if quiet else logging.INFO)


class MockServerApplication(BaseApplication):  # type: ignore[misc]
    """Gunicorn running an already created app, so the data is loaded once, before the workers fork."""

    def __init__(self, app: Flask, listener: socket.socket, config: Config) -> None:
        self._app = app
        self._options: dict[str, Any] = {
            "bind": [gunicorn_address(listener)],
            "reuse_port": BALANCED,
            "workers": config.workers,
            "worker_class": WORKER_CLASS,
            "threads": THREADS_PER_WORKER,
            "worker_connections": WORKER_CONNECTIONS,
            "preload_app": True,
            "timeout": MAX_DELAY_MS // 1000 + 30,
            "graceful_timeout": 5,
            "keepalive": KEEPALIVE_S,
            "limit_request_line": REQUEST_LINE_LIMIT,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "mockserver",
        }
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Flask:
        return self._app


def serve(app: Flask, listener: socket.socket, config: Config) -> None:
    """Run gunicorn on ``listener`` until it is stopped (SIGTERM/SIGINT)."""
    # Gunicorn caps limit_request_line at this module constant; lift the cap to the limit set above.
    gunicorn_message.MAX_REQUEST_LINE = max(gunicorn_message.MAX_REQUEST_LINE, REQUEST_LINE_LIMIT + 1)
    release_freed_memory()  # the dataset's records are garbage now: the workers must not fork with their pages
    gc.freeze()  # what the master holds now lives as long as the workers: their collections need not walk it
    MockServerApplication(app, listener, config).run()
