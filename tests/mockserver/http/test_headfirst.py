"""The head-first worker: a request holds a thread only once its whole head has arrived.

Against the real mock, slow clients do not stop it: with hundreds of connections that sent half a request and
wait (a stalled tab, a bad network, a slowloris), a normal request is still answered within a second, and the
stalled connections are closed after a bounded time. Loopback only, bounded in sockets and time."""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.request
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from gunicorn.http.unreader import SocketUnreader

from mockserver.http.headfirst import MAX_HEAD_BYTES, _complete, _read_head
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


def reading(sock: socket.socket) -> SimpleNamespace:
    """A connection as the worker holds it: its socket and its request parser's buffer."""
    return SimpleNamespace(sock=sock, parser=SimpleNamespace(unreader=SocketUnreader(sock)))


def test_half_a_head_waits_without_a_thread_and_a_whole_one_is_kept_for_the_parser() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        conn = reading(ours)
        assert _read_head(conn) == "wait" and getattr(conn, "head_deadline", None) is None  # nothing yet: no deadline
        theirs.sendall(PARTIAL)
        assert _read_head(conn) == "wait" and conn.head_deadline is not None  # the head is due in bounded time
        theirs.sendall(b"\r\n")
        assert _read_head(conn) == "ready" and conn.head_deadline is None
        assert conn.parser.unreader.take_buffered() == PARTIAL + b"\r\n"


def test_a_head_that_stops_coming_or_comes_too_late_is_gone() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        late = reading(ours)
        theirs.sendall(PARTIAL)
        assert _read_head(late) == "wait"
        late.head_deadline = time.monotonic() - 1  # due a second ago
        theirs.sendall(b"X-More: 1\r\n")
        assert _read_head(late) == "gone"
    ours, theirs = socket.socketpair()
    with ours:
        closed = reading(ours)
        theirs.sendall(PARTIAL)
        theirs.close()
        assert _read_head(closed) == "gone"


def test_a_head_is_complete_at_its_blank_line_or_when_too_long_to_keep_waiting_for() -> None:
    assert _complete(PARTIAL + b"\r\n") and _complete(b"GET / HTTP/1.0\n\n")
    assert not _complete(PARTIAL)
    assert _complete(b"x" * MAX_HEAD_BYTES)
