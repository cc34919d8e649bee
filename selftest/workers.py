"""Which process of a server holds a client's connection, read from ``/proc`` (Linux): a test that must show a
write made through one gunicorn worker seen through the other opens connections until it has one on each, rather
than hoping the kernel spread its requests."""

from __future__ import annotations

import contextlib
import http.client
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))


def connection_inode(server_port: int, client_port: int) -> str | None:
    """The socket inode of the server's end of the connection from ``client_port`` (None: not found)."""
    for table in TABLES:
        with contextlib.suppress(OSError):
            for line in table.read_text().splitlines()[1:]:
                fields = line.split()
                local, remote = fields[1], fields[2]
                if int(local.rsplit(":", 1)[1], 16) == server_port and int(remote.rsplit(":", 1)[1], 16) == client_port:
                    return fields[9]
    return None


def holder(pids: Iterable[int], inode: str) -> int | None:
    """The first of ``pids`` with an open descriptor on the socket ``inode``."""
    wanted = f"socket:[{inode}]"
    for pid in pids:
        with contextlib.suppress(OSError):
            for descriptor in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{descriptor}") == wanted:
                        return pid
    return None


def connections_per_worker(
    host: str, port: int, workers: Iterable[int], *, path: str = "/openapi.yaml", tries: int = 64
) -> Iterator[tuple[int, http.client.HTTPConnection]]:
    """Kept-alive connections, one on each of ``workers`` (as many as ``tries`` connections find), each with
    the worker that answers it; a connection is shown to a worker by one request of ``path``."""
    wanted, found = set(workers), set[int]()
    for _ in range(tries):
        if found == wanted:
            return
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", path)
        connection.getresponse().read()
        inode = connection_inode(port, connection.sock.getsockname()[1])
        pid = holder(wanted - found, inode) if inode is not None else None
        if pid is None:
            connection.close()
            continue
        found.add(pid)
        yield pid, connection
