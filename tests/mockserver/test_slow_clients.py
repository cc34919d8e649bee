"""Slow clients do not stop the mock: with hundreds of connections that sent half a request and wait (a
stalled tab, a bad network, a slowloris), a normal request is still answered within a second, and the stalled
connections are closed after a bounded time. Loopback only, bounded in sockets and time."""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest

from selftest import servers

API_KEY = "slow-key"
ANSWER_WITHIN_S = 1.0
CLOSED_WITHIN_S = 15.0  # the server closes a stalled connection after 5 s of silence (10 s for a whole head)
PARTIAL = b"GET /v2/customers?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nx-API-Key: slow-key\r\n"  # no blank line


@contextlib.contextmanager
def stalled_connections(host: str, port: int, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connections, each having sent the start of a request and nothing more."""
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            connection = socket.create_connection((host, port), timeout=5)
            connection.sendall(PARTIAL)
            opened.append(connection)
        yield opened
    finally:
        for connection in opened:
            connection.close()


def timed_request(base_url: str) -> float:
    started = time.perf_counter()
    request = urllib.request.Request(base_url + "/v2/customers?limit=5", headers={"x-API-Key": API_KEY})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.read().startswith(b"[")
    return time.perf_counter() - started


def closed_count(connections: list[socket.socket], deadline_s: float) -> int:
    """How many of ``connections`` the server closed (EOF or reset) before ``deadline_s`` from now."""
    closed = 0
    deadline = time.monotonic() + deadline_s
    for connection in connections:
        connection.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = connection.recv(65536)
            closed += data == b"" or data.startswith(b"HTTP/1.1 4")  # closed, or refused with a 4xx and closed
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except TimeoutError:
            pass
    return closed


@pytest.mark.slow
@pytest.mark.parametrize("count", [100, 500])
def test_stalled_clients_neither_block_others_nor_stay_forever(count: int) -> None:
    with servers.running_mock("--workers", "2", "--api-key", API_KEY, "--quiet", timeout_s=60) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        timed_request(server.base_url)  # warm
        with stalled_connections(host, int(port), count) as stalled:
            time.sleep(0.5)  # the server has seen every partial request
            latencies = [timed_request(server.base_url) for _ in range(5)]
            assert max(latencies) < ANSWER_WITHIN_S, latencies
            assert closed_count(stalled, CLOSED_WITHIN_S) == count
