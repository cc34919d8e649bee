"""The mock's memory under gunicorn, over HTTP: a write made through one worker is answered by the next request
through the other (a connection held on each, found from /proc), and ``--state FILE`` keeps every write across a
restart; a state file kept over another dataset is refused in one line."""

from __future__ import annotations

import http.client
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from customers_spec.errors import ConfigError
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.data.generate import generate_dataset
from selftest.servers import running_mock
from selftest.workers import connections_per_worker
from tests.conftest import EXAMPLE_SPEC
from tests.mockserver.conftest import AUTH

COUNT = 150
SERVE = ("--spec", str(EXAMPLE_SPEC), "--count", str(COUNT), "--seed", "3", "--quiet")


def ask(connection: http.client.HTTPConnection, method: str, path: str, body: Any = None, **headers: str) -> Any:
    sent = {**AUTH, **headers}
    data = None
    if body is not None:
        data = orjson.dumps(body)
        sent.setdefault("Content-Type", "application/json")
    connection.request(method, path, body=data, headers=sent)
    answer = connection.getresponse()
    payload = answer.read()
    return answer.status, dict(answer.getheaders()), orjson.loads(payload) if payload else None


def body_like(customer: dict[str, Any], name: str) -> dict[str, Any]:
    body = {key: value for key, value in customer.items() if key not in ("_id", "number")}
    return {**body, "name": name}


def test_a_write_through_one_worker_is_seen_through_the_other_at_once(tmp_path: Path) -> None:
    with running_mock(*SERVE, "--workers", "2", "--state", str(tmp_path / "state.sqlite")) as mock:
        workers = [pid for pid in mock.wait_processes(3) if pid != mock.pid]
        port = int(mock.base_url.rsplit(":", 1)[1])
        held = list(connections_per_worker("127.0.0.1", port, workers))
        assert len(held) == 2, "no connection reached one of the workers"
        (_, first), (_, second) = held
        try:
            exchange(first, second)
        finally:
            first.close()
            second.close()


def exchange(first: http.client.HTTPConnection, second: http.client.HTTPConnection) -> None:
    """Each write through one worker's connection, read back through the other's."""
    status, _, customers = ask(second, "GET", "/v2/customers?limit=1")
    assert status == 200
    status, headers, made = ask(first, "POST", "/v2/customers", body_like(customers[0], "!Across Workers"))
    assert status == 201
    assert ask(second, "GET", headers["Location"])[2] == made
    status, headers, listed = ask(second, "GET", "/v2/customers?name=Across%20Workers&sort=name:1")
    assert (listed, headers["X-Total-Count"]) == ([made], "1")
    patch = {"Content-Type": "application/merge-patch+json"}
    assert ask(second, "PATCH", headers_path(made), {"name": "!Patched Across"}, **patch)[0] == 200
    assert ask(first, "GET", headers_path(made))[2]["name"] == "!Patched Across"
    assert ask(first, "DELETE", headers_path(made))[0] == 204
    assert ask(second, "GET", headers_path(made))[0] == 404
    assert ask(second, "GET", "/v2/customers?limit=1")[1]["X-Total-Count"] == str(COUNT)


def headers_path(made: dict[str, Any]) -> str:
    return f"/v2/customers/{made['_id']}"


def test_state_keeps_every_write_across_a_restart_and_refuses_another_dataset(tmp_path: Path) -> None:
    state = tmp_path / "dev.sqlite"
    made = []
    with running_mock(*SERVE, "--workers", "1", "--state", str(state)) as mock:
        connection = http.client.HTTPConnection("127.0.0.1", int(mock.base_url.rsplit(":", 1)[1]), timeout=10)
        customer = ask(connection, "GET", "/v2/customers?limit=1")[2][0]
        for number in range(20):
            status, _, record = ask(connection, "POST", "/v2/customers", body_like(customer, f"!Kept {number:02d}"))
            assert status == 201
            made.append(record)
        connection.close()
    with running_mock(*SERVE, "--workers", "1", "--state", str(state)) as mock:
        connection = http.client.HTTPConnection("127.0.0.1", int(mock.base_url.rsplit(":", 1)[1]), timeout=10)
        status, headers, listed = ask(connection, "GET", "/v2/customers?name=Kept&sort=name:1")
        connection.close()
        assert (listed, headers["X-Total-Count"]) == (made, "20")
    other = subprocess.run(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", *SERVE[:2], "--count", "9", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 2
    lines = other.stderr.strip().splitlines()
    assert len(lines) == 1 and "holds writes made over another dataset" in lines[0], other.stderr


def test_state_with_a_spec_that_declares_no_write_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--state keeps the writes of a spec that declares some"):
        create_app(Config(state=tmp_path / "s.sqlite", log_requests=False), dataset=generate_dataset(5, 1))
