"""A WSGI app built in this process, served on a free port of 127.0.0.1 by forked processes of its own.

Building once and forking serves a large store without building it per process, and a client in this
process (the kit run in-process by a benchmark) then shares no interpreter lock with the server.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
from collections.abc import Callable, Iterator
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server


@contextlib.contextmanager
def forked_server(app: Any, *, processes: int = 1, in_child: Callable[[], object] | None = None) -> Iterator[str]:
    """``app`` served by ``processes`` forked processes sharing one listening socket (each first calls
    ``in_child``, e.g. to start its threads); the base URL while open, the processes ended after."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    forking = multiprocessing.get_context("fork")
    children = [
        forking.Process(target=_serve, args=(app, listener.fileno(), in_child), daemon=True) for _ in range(processes)
    ]
    for child in children:
        child.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        for child in children:
            child.terminate()
            child.join(timeout=30)
        listener.close()


def _serve(app: Any, fd: int, in_child: Callable[[], object] | None) -> None:
    if in_child is not None:
        in_child()
    make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler, fd=fd).serve_forever()


class QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a production server: not a new connection per request

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Thousands of requests per run: no access log."""
