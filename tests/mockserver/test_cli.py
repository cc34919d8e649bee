"""The ``mockserver`` command: start-up errors as one line with exit 2, and a real gunicorn server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from selftest.servers import running_mock
from tests.mockserver.conftest import API_KEY

SERVE = [sys.executable, "-m", "mockserver", "serve"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SERVE, *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("mockserver: error: ")
    for word in words:
        assert word in lines[0]


@pytest.fixture
def corrupt_file(tmp_path: Path) -> Path:
    path = tmp_path / "customers.json"
    path.write_text('{"customers": [{"_id": "nope"', encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--data", "/nonexistent/customers.json"), ["/nonexistent/customers.json"]),
        (("--data", "{corrupt}"), ["customers.json"]),
        (("--data", "x.json", "--count", "5"), ["not both"]),
        (("--seed", "5"), ["--seed"]),
        (("--port", "http"), ["--port"]),
        (("--delay", "99999999"), ["--delay"]),
    ],
)
def test_startup_errors_are_one_line(args: tuple[str, ...], words: list[str], corrupt_file: Path) -> None:
    result = run(*(arg.replace("{corrupt}", str(corrupt_file)) for arg in args))
    assert_one_line_failure(result, *words)


@pytest.mark.slow
def test_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--port", str(port), "--count", "3")
    assert_one_line_failure(result, f"127.0.0.1:{port}")


def listening_sockets(port: int) -> int:
    """How many sockets listen on ``port`` of 127.0.0.1 (Linux's /proc/net/tcp; state 0A is LISTEN)."""
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(line.split()[1] == f"0100007F:{port:04X}" and line.split()[3] == "0A" for line in lines)


@pytest.mark.slow
def test_each_worker_listens_on_its_own_socket_and_the_port_stays_reserved() -> None:
    """Per-worker sockets let the kernel spread connections; the master's reservation keeps others out."""
    from customers_serving.listening import BALANCED

    with running_mock("--count", "5", "--workers", "3", "--quiet") as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        expected, deadline = (3 if BALANCED else 1), time.monotonic() + 10
        while listening_sockets(port) < expected and time.monotonic() < deadline:  # workers boot one by one
            time.sleep(0.05)
        assert listening_sockets(port) == expected
        assert_one_line_failure(run("--port", str(port), "--count", "3"), f"127.0.0.1:{port}")


def test_plain_mockserver_means_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a command, ``serve`` runs with its defaults (gunicorn replaced by a recorder here)."""
    from customers_serving import listening
    from mockserver import cli
    from mockserver.http import serving

    served: list[tuple[str, int, int]] = []
    monkeypatch.setattr(
        serving, "serve", lambda app, listener, config: served.append((config.host, config.port, config.workers))
    )
    monkeypatch.setattr(serving, "configure_logging", lambda quiet: None)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        monkeypatch.setattr(listening, "bind", lambda host, port: listener)
        result = CliRunner().invoke(cli.main, [])
    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 3000, 2)]


def test_data_commands_are_registered() -> None:
    from mockserver.cli import main

    assert {"serve", "generate", "validate"} <= set(main.commands)


@pytest.mark.parametrize(
    "command", [[], ["serve"], ["generate"], ["validate"]], ids=["mockserver", "serve", "generate", "validate"]
)
def test_dash_h_is_help_everywhere(command: list[str]) -> None:
    """``-h`` as ``--help``, as ``contract-tests -h`` does, for the group and each subcommand."""
    from mockserver.cli import main

    short, long = (CliRunner().invoke(main, [*command, flag]) for flag in ("-h", "--help"))
    assert short.exit_code == 0, short.output
    assert short.output == long.output and short.output.startswith(f"Usage: {' '.join(['main', *command])}")


def raw_request(base_url: str, request: bytes) -> bytes:
    """The status line and headers of the answer to a hand-written HTTP request."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


@pytest.mark.slow
def test_serve_under_gunicorn() -> None:
    with running_mock("--count", "25", "--seed", "3", "--api-key", API_KEY, "--workers", "1", "--quiet") as server:
        request = urllib.request.Request(f"{server.base_url}/v2/customers?limit=10", headers={"x-API-Key": API_KEY})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["X-Total-Count"] == "25"
            assert f'<{server.base_url}/v2/customers?limit=10&offset=10>; rel="next"' in response.headers["Link"]
            assert len(json.loads(response.read())) == 10
        key = f"x-API-Key: {API_KEY}\r\n".encode()
        long_value = b"a" * 65536
        answer = raw_request(
            server.base_url, b"GET /v2/customers?name=" + long_value + b" HTTP/1.1\r\nHost: t\r\n" + key + b"\r\n"
        )
        assert answer.startswith(b"HTTP/1.1 400 "), answer[:100]
        too_long = b"a" * (400 * 1024)
        answer = raw_request(
            server.base_url, b"GET /v2/customers?name=" + too_long + b" HTTP/1.1\r\nHost: t\r\n" + key + b"\r\n"
        )
        assert answer.startswith(b"HTTP/1.1 414 "), answer[:100]
        huge_header = b"X-Big: " + b"b" * 20000 + b"\r\n"
        answer = raw_request(
            server.base_url, b"GET /v2/customers HTTP/1.1\r\nHost: t\r\n" + key + huge_header + b"\r\n"
        )
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:100]
        unauthorized = raw_request(
            server.base_url, b"GET /v2/customers HTTP/1.1\r\nHost: t\r\nx-API-Key: wrong\r\n\r\n"
        )
        assert unauthorized.startswith(b"HTTP/1.1 401 ")
        assert "serving 25 customers (1 operation: GET /v2/customers)" in server.log_tail()


def test_the_start_up_line_counts_every_collection_and_names_every_operation(example_app) -> None:
    from mockserver.cli import _served

    line = _served(example_app)
    assert line.startswith("serving 40 customers, ")
    assert " objects (8 operations: GET /v2/customers, POST /v2/customers, GET /v2/customers/{customerId}, " in line
