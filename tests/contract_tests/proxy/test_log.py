"""The proxy's log: each violation one line with the curl that reproduces it, never the key."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
import requests

from contract_tests.judging.failures import OrderViolation
from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.log import LOG, log_line, to_stderr
from contract_tests.running.records import Failure
from customers_spec import Spec
from selftest.faults import FAULTS
from tests.contract_tests.conftest import API_KEY
from tests.contract_tests.proxy.conftest import KEY, proxied


@pytest.mark.slow
def test_violations_are_logged_with_a_curl_and_never_the_key(
    spec: Spec, mock_app: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "sort reversed")
    caplog.set_level(logging.WARNING, logger="contract_tests.proxy")
    with proxied(fault.wrap(mock_app()), spec) as (proxy_url, upstream_url, _):  # type: ignore[misc]
        answer = requests.get(f"{proxy_url}{spec.path}?sort=name:1&limit=5", headers=KEY, timeout=10)
    # The reversed order also shows in the Link header, which keeps the sort the server read.
    assert answer.status_code == 200 and answer.headers[VIOLATIONS_HEADER] == "2; sort_order, link_header"
    (line,) = [record.getMessage() for record in caplog.records if "VIOLATION sort_order" in record.getMessage()]
    assert line.startswith("VIOLATION sort_order: items are not in the requested order at $[1]; expected order")
    assert line.endswith(
        f"reproduce: curl -sS -i '{upstream_url}{spec.path}?sort=name:1&limit=5' -H \"x-API-Key: $API_KEY\""
    )
    assert API_KEY not in caplog.text


def test_a_log_line_says_the_violation_and_its_reproduction() -> None:
    violation = OrderViolation("order name:1", "item b before item a", "$[1]")
    line = log_line(Failure("sort_order", violation, "http://h/v2/customers?sort=name:1", "key"), "x-API-Key")
    assert line == (
        "VIOLATION sort_order: items are not in the requested order at $[1]; expected order name:1; "
        "got item b before item a; reproduce: "
        "curl -sS -i 'http://h/v2/customers?sort=name:1' -H \"x-API-Key: $API_KEY\""
    )


def test_the_log_goes_to_stderr_alone(capsys: pytest.CaptureFixture[str]) -> None:
    saved = (LOG.handlers[:], LOG.level, LOG.propagate)
    try:
        to_stderr()
        LOG.warning("hello")
        assert capsys.readouterr().err == "contract-tests proxy: hello\n"
        assert LOG.propagate is False
    finally:
        LOG.handlers[:], LOG.level, LOG.propagate = saved[0], saved[1], saved[2]


@pytest.mark.slow
def test_the_logged_curl_carries_the_clients_headers_and_reproduces_the_answer(
    spec: Spec, mock_app: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    """``Prefer: code=500`` makes the mock fail: the curl sends it too, the client's token as a variable."""
    caplog.set_level(logging.WARNING, logger="contract_tests.proxy")
    token = "t0ken-of-the-client"
    client = {**KEY, "Prefer": "code=500", "X-Session-Token": token}
    with proxied(mock_app(), spec) as (proxy_url, _, judge):
        answer = requests.get(f"{proxy_url}{spec.path}?limit=1", headers=client, timeout=10)
        line = next(record.getMessage() for record in caplog.records if "VIOLATION" in record.getMessage())
        command = line.split("reproduce: ", 1)[1]
        environment = {"API_KEY": API_KEY, "X_SESSION_TOKEN": token, "PATH": os.environ["PATH"]}
        again = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=environment, timeout=30)
    assert answer.status_code == 500
    assert command.endswith(
        """-H "x-API-Key: $API_KEY" -H 'Prefer: code=500' -H "X-Session-Token: $X_SESSION_TOKEN\""""
    )
    assert again.stdout.startswith("HTTP/1.1 500"), again.stdout + again.stderr
    (failure, *_) = judge.outcome.failures
    assert failure.headers == (("Prefer", "code=500"), ("X-Session-Token", "$X_SESSION_TOKEN"))
    assert token not in caplog.text and API_KEY not in caplog.text
