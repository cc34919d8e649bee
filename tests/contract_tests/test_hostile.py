"""The contract kit's CLI against hostile servers: each misbehaviour is reported clearly and in bounded time,
and the API key never reaches any host but the base URL's.

Each hostile server is a raw TCP server written here (no HTTP library tidies up its misbehaviour), on a
loopback address; a second one on 127.0.0.2 records every request it gets, to catch a leaked key.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from contract_tests.judging.selection import select_checks
from selftest.servers import console_script

SECRET = "hostile-secret-7c41d9e2"
KEY_HEADER = b"x-api-key"
KIT_TIMEOUT_S = 1.0
HUGE_BODY_BYTES = 10 * 2**20
SLOW_S = 15.0  # far beyond the kit's timeout; the server gives up by itself after this
RUN_LIMIT_S = 60.0
OTHER_HOST = "127.0.0.2"

Behaviour = Callable[["Connection"], bool]  # answers one request; True keeps the connection open


@dataclass
class Connection:
    """One accepted connection and the request head just read from it."""

    sock: socket.socket
    head: bytes
    stop: threading.Event

    def respond(self, status: str, headers: dict[str, str], body: bytes = b"") -> bool:
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return True


@dataclass
class HostileServer:
    """A raw HTTP/1.1 server whose every request goes to ``behave``; it records each request head."""

    behave: Behaviour
    host: str = "127.0.0.1"
    heads: list[bytes] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._listener = socket.create_server((self.host, 0))
        self._listener.settimeout(0.1)
        self.base_url = f"http://{self.host}:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(SLOW_S)
            try:
                while not self.stop.is_set() and (head := _read_head(sock)):
                    self.heads.append(head)
                    if not self.behave(Connection(sock, head, self.stop)):
                        return
            except OSError:
                return  # the kit hung up, as it may

    def close(self) -> None:
        self.stop.set()
        self._listener.close()
        self._thread.join(timeout=5)


def _read_head(sock: socket.socket) -> bytes:
    """The request line and headers (GET has no body), or b"" when the client closed; bounded to 64 KB."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            return b""
        data += chunk
    return data


@contextmanager
def hostile(behave: Behaviour, host: str = "127.0.0.1") -> Iterator[HostileServer]:
    server = HostileServer(behave, host)
    try:
        yield server
    finally:
        server.close()


# --- behaviours -------------------------------------------------------------------------------------------

EMPTY_PAGE_HEADERS = {"Content-Type": "application/json", "X-Total-Count": "0"}


def _links_to(base_url: str) -> str:
    target = f"{base_url}/v2/customers?limit=100&offset=0"
    return ", ".join(f'<{target}>; rel="{rel}"' for rel in ("first", "last"))


def slow(connection: Connection) -> bool:
    connection.stop.wait(SLOW_S)
    return connection.respond("200 OK", {**EMPTY_PAGE_HEADERS, "Link": _links_to("http://127.0.0.1")}, b"[]")


def dribbling(connection: Connection) -> bool:
    """Headers at once, then one byte of a 10 MB body every 0.2 s: each read is quick, the whole never ends."""
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HUGE_BODY_BYTES}\r\n\r\n["
    connection.sock.sendall(head.encode())
    deadline = time.monotonic() + SLOW_S
    while not connection.stop.wait(0.2) and time.monotonic() < deadline:
        connection.sock.sendall(b" ")
    return False


def huge(connection: Connection) -> bool:
    """A 10 MB JSON array of things that are not customers."""
    item = b'{"_id":"not-an-object-id","name":""}'
    body = b"[" + b",".join([item] * (HUGE_BODY_BYTES // (len(item) + 1))) + b"]"
    headers = {**EMPTY_PAGE_HEADERS, "X-Total-Count": "1", "Link": _links_to("http://127.0.0.1")}
    return connection.respond("200 OK", headers, body)


def invalid_json(connection: Connection) -> bool:
    body = b'[{"_id": "65a1b2c3d4e5f6a7b8c9d0e1", "number": 10'
    return connection.respond("200 OK", {**EMPTY_PAGE_HEADERS, "Link": _links_to("http://127.0.0.1")}, body)


def hang_up(connection: Connection) -> bool:
    """Reads the request, then closes the connection without a word."""
    return False


def reset(connection: Connection) -> bool:
    """Reads the request, then aborts the connection (RST)."""
    connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    return False


def redirecting_to(other: HostileServer) -> Behaviour:
    def behave(connection: Connection) -> bool:
        path = connection.head.split(b" ", 2)[1].decode("latin-1")
        return connection.respond("307 Temporary Redirect", {"Location": other.base_url + path})

    return behave


def linking_to(other: HostileServer) -> Behaviour:
    """A plausible empty page whose Link header sends the client to another host."""

    def behave(connection: Connection) -> bool:
        return connection.respond("200 OK", {**EMPTY_PAGE_HEADERS, "Link": _links_to(other.base_url)}, b"[]")

    return behave


def recording(connection: Connection) -> bool:
    return connection.respond("200 OK", {**EMPTY_PAGE_HEADERS, "Link": _links_to("http://127.0.0.1")}, b"[]")


def after_a_valid_page(behave: Behaviour) -> Behaviour:
    """A server that answers its first request well (an empty page) and misbehaves from then on."""
    answered = threading.Event()

    def behave_later(connection: Connection) -> bool:
        if not answered.is_set():
            answered.set()
            return recording(connection)
        return behave(connection)

    return behave_later


# --- running the kit --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KitRun:
    exit_code: int
    output: str
    seconds: float


def run_kit(base_url: str) -> KitRun:
    command = [
        console_script("contract-tests"),
        "--base-url",
        base_url,
        "--api-key",
        SECRET,
        "--timeout",
        str(KIT_TIMEOUT_S),
    ]
    command += ["--max-examples", "5", "--seed", "1", "--no-shrink"]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=RUN_LIMIT_S, check=False)
    return KitRun(completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started)


def assert_reported_clearly(run: KitRun, *expected: str) -> None:
    """A verdict that is not 'conforms', without a traceback or the key, naming what went wrong."""
    assert run.exit_code in (1, 2), f"exit {run.exit_code}:\n{run.output}"
    assert "Traceback" not in run.output, run.output
    assert SECRET not in run.output, "the report shows the API key"
    lowered = findings(run.output).lower()
    assert any(word in lowered for word in expected), f"none of {expected} in the findings:\n{run.output}"


def findings(output: str) -> str:
    """The report without its summary table, whose rows name every check (response_schema, link_header, …)
    and so would contain any expected word whatever the kit found."""
    table_words = {check.name for check in select_checks()} | {"check"}

    def in_table(line: str) -> bool:
        words = line.split()
        return bool(words) and (words[0] in table_words or set(words[0]) == {"-"})

    return "\n".join(line for line in output.splitlines() if not in_table(line))


# --- tests ------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("from_the_start", [True, False], ids=["at-once", "mid-run"])
@pytest.mark.parametrize(
    ("behave", "expected", "limit_s"),
    [
        (slow, ("timeout", "timed out", "within"), 10),
        (dribbling, ("timeout", "timed out", "within", "too large", "too slow"), 10),
        (huge, ("schema", "not a valid page", "too large"), 30),
        (invalid_json, ("json", "not a valid page"), 10),
        (hang_up, ("connection", "closed", "disconnect"), 10),
        (reset, ("connection", "reset"), 10),
    ],
    ids=["slow", "dribbling", "10MB-body", "invalid-json", "hang-up", "reset"],
)
def test_a_misbehaving_server_is_reported_clearly_and_in_time(
    behave: Behaviour, expected: tuple[str, ...], limit_s: float, from_the_start: bool
) -> None:
    with hostile(behave if from_the_start else after_a_valid_page(behave)) as server:
        run = run_kit(server.base_url)
    assert_reported_clearly(run, *expected)
    assert run.seconds < limit_s, f"the kit took {run.seconds:.1f} s (timeout {KIT_TIMEOUT_S} s):\n{run.output}"


@pytest.mark.slow
@pytest.mark.parametrize("send_elsewhere", [redirecting_to, linking_to], ids=["redirect", "link-header"])
def test_the_api_key_goes_to_no_other_host(send_elsewhere: Callable[[HostileServer], Behaviour]) -> None:
    with hostile(recording, OTHER_HOST) as other, hostile(send_elsewhere(other)) as server:
        run = run_kit(server.base_url)
    assert_reported_clearly(run, "redirect", "307", "link", "status")
    assert any(SECRET.encode() in head for head in server.heads), "the base URL itself never got the key"
    for head in other.heads:
        assert SECRET.encode() not in head, f"the key was sent to {other.base_url}:\n{head!r}"
        assert KEY_HEADER not in head.lower(), f"an {KEY_HEADER.decode()} header was sent to {other.base_url}"
