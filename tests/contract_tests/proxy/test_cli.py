"""``contract-tests proxy`` as installed: under gunicorn, stopped by SIGINT or SIGTERM, it summarizes and reports."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests

from contract_tests.judging.selection import select_checks
from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.cli import finish
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from customers_spec import Spec
from selftest.faults import FAULTS
from selftest.gatekeeper import gatekeeper
from selftest.servers import free_port
from tests.contract_tests.conftest import API_KEY, serving
from tests.contract_tests.proxy.conftest import KEY


def _started(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()", "proxy", *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=os.environ | (env or {}),
    )


def _wait_answering(url: str, process: subprocess.Popen[str], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        with contextlib.suppress(requests.ConnectionError):
            requests.get(url + "/openapi.yaml", timeout=2)
            return
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the proxy did not answer within {timeout_s} s")


@pytest.mark.slow
def test_the_command_under_gunicorn_summarizes_and_reports_at_sigint(
    tmp_path: Path, mock_app: Callable[..., Any]
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "Link next wrong")
    report, junit, port = tmp_path / "run.json", tmp_path / "junit.xml", free_port()
    with serving(fault.wrap(mock_app())) as upstream_url:  # type: ignore[misc]
        process = _started(
            *("--upstream", upstream_url, "--port", str(port), "--report", str(report), "--junit-xml", str(junit))
        )
        proxy_url = f"http://127.0.0.1:{port}"
        try:
            _wait_answering(proxy_url, process)
            answers = [requests.get(f"{proxy_url}/v2/customers?limit=7", headers=KEY, timeout=10) for _ in range(4)]
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 1, out + err
    assert all(answer.headers[VIOLATIONS_HEADER] == "1; link_header" for answer in answers)
    assert "link_header" in out and "FAILED" not in err and "Traceback" not in err
    assert " in 4 requests\n" in out and "contract violation" in out
    document = orjson.loads(report.read_bytes())
    assert document["run"]["examples"] == 4 and {each["check"] for each in document["failures"]} == {"link_header"}
    assert document["failures"][0]["exchange"]["status"] == 200
    assert 'name="link_header"' in junit.read_text()
    assert API_KEY not in out + err + report.read_text() + junit.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["Ctrl-C in a terminal", "SIGTERM"])
def test_the_command_exits_0_when_everything_conformed(stop: str, mock_app: Callable[..., Any]) -> None:
    port = free_port()
    with serving(mock_app()) as upstream_url:
        process = _started("--upstream", upstream_url, "--port", str(port))
        try:
            _wait_answering(f"http://127.0.0.1:{port}", process)
            with requests.Session() as session:  # a keep-alive connection still open at the stop
                answers = [
                    session.get(f"http://127.0.0.1:{port}/v2/customers?name=er", headers=KEY, timeout=10)
                    for _ in range(5)
                ]
                if stop == "SIGTERM":
                    process.send_signal(signal.SIGTERM)
                else:
                    os.killpg(process.pid, signal.SIGINT)  # a terminal signals the whole process group
                out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, out + err
    assert all(answer.status_code == 200 and answer.headers[VIOLATIONS_HEADER] == "0" for answer in answers)
    assert "conforms: 5 requests, no violations" in out, "every worker's answers are counted"
    assert "Traceback" not in err and "SIGKILL" not in err


@pytest.mark.slow
def test_behind_a_gateway_the_proxy_adds_its_headers_and_prints_no_secret(
    tmp_path: Path, mock_app: Callable[..., Any]
) -> None:
    tenant, token = "tenant-3f9a1c5e", "pr0xy-token-8d2b4e6f"
    misses: list[str] = []
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    required = {"X-Tenant": tenant, "Authorization": f"Bearer {token}"}
    upstream = gatekeeper(fault.wrap(mock_app()), required, misses)  # type: ignore[misc]
    report, port = tmp_path / "run.json", free_port()
    with serving(upstream) as upstream_url:
        process = _started(
            *("--upstream", upstream_url, "--port", str(port), "--report", str(report), "-H", f"X-Tenant: {tenant}"),
            env={"CONTRACT_TESTS_BEARER": token},
        )
        try:
            _wait_answering(f"http://127.0.0.1:{port}", process)
            answer = requests.get(f"http://127.0.0.1:{port}/v2/customers?limit=3", headers=KEY, timeout=10)
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 1, out + err
    assert misses == [] and answer.headers[VIOLATIONS_HEADER] == "1; response_schema"
    assert '-H "X-Tenant: $X_TENANT" -H "Authorization: Bearer $CONTRACT_TESTS_BEARER"' in err
    request = orjson.loads(report.read_bytes())["failures"][0]["exchange"]["request_headers"]
    assert request == {
        "x-API-Key": "$API_KEY",
        "X-Tenant": "$X_TENANT",
        "Authorization": "Bearer $CONTRACT_TESTS_BEARER",
    }
    assert all(secret not in out + err + report.read_text() for secret in (tenant, token, API_KEY))


def test_the_summary_counts_the_proxys_own_answers(spec: Spec, capsys: pytest.CaptureFixture[str]) -> None:
    judge = ProxyJudge(spec, "http://upstream", passive_checks(select_checks()))
    for status in (502, 502, 504):
        judge.count_own(status)
    assert finish(judge, None, None) == 2, "nothing judged: the upstream never answered"
    out = capsys.readouterr().out
    assert "502 to 2 requests (the upstream failed), 504 to 1 request (the upstream was too slow)" in out
    assert "nothing was judged: the upstream never answered" in out
    judge.outcome.examples = 1
    judge.outcome.error = None
    assert finish(judge, None, None) == 0, "some answers judged and conforming: the 502s are counted, not failed"
