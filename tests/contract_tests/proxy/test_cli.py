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

from contract_tests.proxy.answers import VIOLATIONS_HEADER
from selftest.faults import FAULTS
from selftest.servers import free_port
from tests.contract_tests.conftest import API_KEY, serving
from tests.contract_tests.proxy.conftest import KEY


def _started(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()", "proxy", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


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
