"""The address a server listens on, bound before anything forks, and how gunicorn's workers share it.

The commands bind the address themselves first, so "port in use" is one clear line rather than gunicorn's
retries. On Linux each worker then listens on a socket of its own with ``SO_REUSEPORT``, and the kernel spreads
new connections across the workers: with one shared socket, the worker that wakes first accepts a whole burst
of keep-alive connections and serves them alone while the other idles (measured: half the throughput). The
master keeps the address bound, not listening, so no other server can take the port while gunicorn runs.
Elsewhere the workers share the command's listening socket (``fd://N``).
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from customers_spec.errors import StartupError

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


def listening_options(listener: socket.socket) -> dict[str, Any]:
    """The gunicorn settings that make its workers listen on ``listener``'s address as described above."""
    return {"bind": [gunicorn_address(listener)], "reuse_port": BALANCED}
