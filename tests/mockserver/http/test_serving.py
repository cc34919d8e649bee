"""Serving under gunicorn: hostile raw requests against the real mock (never a 5xx, never a dead worker, never a
leak), and its logging.

Requests are written byte by byte on a socket (no client library normalizes them): percent-encoding, invalid
UTF-8 escapes, malformed escapes, unicode, repeated and empty parameters, values up to 64 KB, odd headers.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from customers_spec import load_spec
from mockserver.http.limits import MAX_QUERY_BYTES
from mockserver.http.serving import REQUEST_LINE_LIMIT, configure_logging
from selftest import servers

API_KEY = "fuzz-key"
CUSTOMERS = "/v2/customers"
MAX_VALUE = 64 * 1024
WORKERS = 2
# What only a leaked traceback or internal path can contain (the request's own text is never one of them).
LEAKS = re.compile(
    rb"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|site-packages|"
    + re.escape(str(servers.ROOT).encode())
    + rb"|"
    + re.escape(sys.prefix.encode())
)


@dataclass(frozen=True)
class Mock:
    """The server under test and its processes when it started: a change means a worker was lost."""

    server: servers.Server
    processes: frozenset[int]


@dataclass(frozen=True)
class RawResponse:
    status: int
    head: bytes
    body: bytes


@pytest.fixture(scope="module")
def mock() -> Iterator[Mock]:
    with servers.running_mock("--api-key", API_KEY, "--workers", str(WORKERS), "--quiet") as server:
        yield Mock(server, frozenset(server.wait_processes(1 + WORKERS)))


def send_raw(server: servers.Server, request: bytes, timeout_s: float = 15.0) -> RawResponse:
    """Write ``request`` on a fresh connection and read the whole answer; an AssertionError if none comes."""
    port = int(server.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as connection:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request)  # the server may answer and close before reading all of a huge one
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass  # a reset after the answer was sent still leaves the answer in chunks
    data = b"".join(chunks)
    status_line, _, rest = data.partition(b"\r\n")
    match = re.fullmatch(rb"HTTP/1\.[01] (\d{3})(?: .*)?", status_line)
    assert match, f"no HTTP answer (connection dropped?) to {request[:200]!r}: got {data[:200]!r}"
    head, _, body = rest.partition(b"\r\n\r\n")
    return RawResponse(int(match.group(1)), head, body)


def request_bytes(target: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: 127.0.0.1", *(name + b": " + value for name, value in headers)]
    return b"\r\n".join([*lines, b"Connection: close", b"", b""])


def check_answer(mock: Mock, request: bytes) -> RawResponse:
    """The invariants every answer keeps, whatever was asked."""
    response = send_raw(mock.server, request)
    assert response.status < 500, f"{response.status} for {request[:300]!r}:\n{response.body[:2000]!r}"
    leak = LEAKS.search(response.head + response.body)
    assert leak is None, f"the answer leaks {leak.group(0)!r}:\n{response.body[:2000]!r}"
    assert set(mock.server.pids()) == mock.processes, f"a worker died or was replaced:\n{mock.server.log_tail()}"
    return response


# --- strategies -----------------------------------------------------------------------------------------

SPEC = load_spec()
KNOWN_NAMES = sorted(SPEC.parameters) + [f"generalField[{key}]" for key in ("field", "operator", "value", "type")]
text_values = st.text(st.characters(exclude_categories=["Cs"]), max_size=40).map(lambda text: quote(text, safe=""))
byte_values = st.binary(max_size=40).map(lambda raw: "".join(f"%{byte:02X}" for byte in raw))  # invalid UTF-8 too
raw_values = st.text(st.sampled_from("%+&=;[]{}|\\^`\"'<>#,:._-~!$()*09aZzß"), max_size=20)  # malformed escapes
sized_values = st.tuples(st.sampled_from(["a", "%C3%A4", "%FF", ",", "1,"]), st.integers(1, MAX_VALUE)).map(
    lambda chunk_size: (chunk_size[0] * (chunk_size[1] // len(chunk_size[0]) + 1))[: chunk_size[1]]
)
values = st.one_of(
    st.none(), st.just(""), text_values, byte_values, raw_values, st.sampled_from(["1", "true", "name:1"])
)
names = st.one_of(st.sampled_from(KNOWN_NAMES), text_values.filter(bool), raw_values.filter(bool))
queries = st.tuples(
    st.lists(st.tuples(names, values), max_size=8),
    st.lists(st.sampled_from(KNOWN_NAMES), max_size=3),  # repeated known parameters
    st.one_of(st.none(), st.tuples(names, sized_values)),
).map(lambda parts: _query(*parts))
header_names = st.one_of(
    # Not Prefer: `Prefer: code=500` or `delay=` ask the mock for a 5xx or a wait, on purpose.
    st.sampled_from(["x-API-Key", "Accept", "Origin", "Accept-Encoding", "Content-Type", "Cookie", "Host"]),
    st.text(st.sampled_from("abcxyzXYZ-_0123456789!#$%&'*+.^`|~"), min_size=1, max_size=20),
)
header_values = st.binary(max_size=200).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b""))
headers = st.lists(st.tuples(header_names.map(str.encode), header_values), max_size=5)


def _query(pairs: list[tuple[str, str | None]], repeated: list[str], big: tuple[str, str] | None) -> str:
    """Pairs joined as a query string; a None value writes the bare name (``?name``)."""
    items = [*pairs, *((name, value) for name in repeated for value in ("1", ""))]
    if big is not None:
        items.append(big)
    return "&".join(name if value is None else f"{name}={value}" for name, value in items)


# --- tests ----------------------------------------------------------------------------------------------


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(query=queries, extra_headers=headers, with_key=st.booleans())
@example(query="name=%ff%fe&name=%&nameAndAddress=%zz&ids=%c3%28", extra_headers=[], with_key=True)
@example(
    query="generalField[value]=%ED%A0%80&generalField[field]=name&generalField[operator]=eq",
    extra_headers=[],
    with_key=True,
)
@example(query="limit=" + "9" * 5000 + "&offset=-0", extra_headers=[], with_key=True)
@example(query="sort=" + "name:1," * 600, extra_headers=[(b"x-API-Key", b"\xff\xfe")], with_key=False)
def test_any_query_and_headers_get_a_clean_client_error_or_success(
    mock: Mock, query: str, extra_headers: list[tuple[bytes, bytes]], with_key: bool
) -> None:
    target = (CUSTOMERS + "?" + query).encode("latin-1")
    key_header = [(b"x-API-Key", API_KEY.encode())] if with_key else []
    check_answer(mock, request_bytes(target, key_header + extra_headers))


@pytest.mark.slow
@pytest.mark.parametrize("size", [MAX_QUERY_BYTES + 1, REQUEST_LINE_LIMIT + 1, 4 * REQUEST_LINE_LIMIT])
def test_a_request_line_over_the_limit_gets_414(mock: Mock, size: int) -> None:
    target = (CUSTOMERS + "?name=" + "a" * size).encode()
    response = check_answer(mock, request_bytes(target, [(b"x-API-Key", API_KEY.encode())]))
    assert response.status in (414, 431), response.head


@pytest.mark.slow
def test_a_header_over_the_limit_gets_431(mock: Mock) -> None:
    response = check_answer(mock, request_bytes(CUSTOMERS.encode(), [(b"x-API-Key", b"k" * MAX_VALUE)]))
    assert response.status == 431


@pytest.mark.slow
def test_too_many_headers_get_431(mock: Mock) -> None:
    many = [(f"X-Filler-{index}".encode(), b"1") for index in range(200)]
    response = check_answer(mock, request_bytes(CUSTOMERS.encode(), many))
    assert response.status == 431


@pytest.mark.slow
def test_the_server_still_answers_normally_afterwards(mock: Mock) -> None:
    request = request_bytes(CUSTOMERS.encode() + b"?limit=1", [(b"x-API-Key", API_KEY.encode())])
    response = check_answer(mock, request)
    assert response.status == 200, response.body[:500]


def test_quiet_logging_drops_the_request_lines_but_keeps_the_errors() -> None:
    root, requests = logging.getLogger("mockserver"), logging.getLogger("mockserver.requests")
    saved = root.handlers[:], root.level, root.propagate, requests.level
    try:
        configure_logging(quiet=True)
        assert not requests.isEnabledFor(logging.INFO)
        assert logging.getLogger("mockserver.errors").isEnabledFor(logging.ERROR)
        assert len(root.handlers) == 1 and not root.propagate  # one line each, on stderr only
        configure_logging(quiet=False)
        assert requests.isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], root.propagate = saved[0], saved[2]
        root.setLevel(saved[1])
        requests.setLevel(saved[3])
