"""``contract-tests`` end to end: a real server, a faulty one, one that refuses and one that never answers."""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson
import pytest
from click.testing import CliRunner

from contract_tests.cli import main
from selftest.faults import FAULTS
from selftest.servers import free_port, running_mock
from tests.contract_tests.conftest import API_KEY, serving
from tests.contract_tests.judging.checks.test_paging import linking_to

pytestmark = pytest.mark.slow


def contract_tests(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it."""
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@contextlib.contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) but never answers a request."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_the_mock_under_gunicorn_conforms(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    with running_mock("--api-key", API_KEY, "--count", "120", "--seed", "5", "--quiet") as server:
        done = contract_tests(
            *("--base-url", server.base_url, "--api-key", API_KEY, "--max-examples", "40", "--seed", "3"),
            *("--invalid-api-key-rejected", "--junit-xml", str(junit)),
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout
    assert "auth_enforced" in done.stdout and "filters_complete" in done.stdout  # the summary table
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "listCustomers (GET /v2/customers)"
    assert suite.get("failures") == "0" and int(suite.get("tests", "0")) >= 15
    assert API_KEY not in done.stdout + done.stderr + junit.read_text()


def test_a_violation_is_reported_with_the_shrunk_request_as_curl(tmp_path: Path, mock_app: Callable[..., Any]) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "name filter ignored")
    junit = tmp_path / "junit.xml"
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        result = CliRunner().invoke(
            main,
            [
                *("--base-url", base_url, "--api-key", API_KEY, "--checks", "filters_hold"),
                *("--max-examples", "40", "--hypothesis-profile", "ci", "--junit-xml", str(junit)),
            ],
        )
    assert result.exit_code == 1, result.output
    assert "FAILED filters_hold: returned item does not satisfy the request's filters" in result.output
    curl = next(line for line in result.output.splitlines() if "reproduce: curl" in line)
    assert curl.endswith('-H "x-API-Key: $API_KEY"')
    url = curl.split("'")[1]
    assert [name for name, _ in parse_qsl(urlsplit(url).query)] == ["name"], "shrunk to the one filter"
    failure = ET.parse(junit).getroot().find("testsuite/testcase[@name='filters_hold']/failure")
    assert failure is not None and "$API_KEY" in (failure.text or "")
    assert API_KEY not in result.output + junit.read_text()


def test_a_refused_connection_is_reported_as_such() -> None:
    done = contract_tests("--base-url", f"http://127.0.0.1:{free_port()}", "--api-key", API_KEY)
    assert done.returncode == 2
    assert "COULD NOT TEST: cannot connect to http://127.0.0.1:" in done.stderr
    assert "connection refused" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_timeout_is_reported_as_such() -> None:
    with silent_port() as port:
        result = CliRunner().invoke(
            main, ["--base-url", f"http://127.0.0.1:{port}", "--api-key", API_KEY, "--timeout", "0.3"]
        )
    assert result.exit_code == 2
    assert "COULD NOT TEST: no answer from" in result.output and "(timeout)" in result.output


def test_usage_errors_and_check_listing() -> None:
    unknown = CliRunner().invoke(main, ["--base-url", "http://127.0.0.1:9", "--api-key", "k", "--checks", "nope"])
    assert unknown.exit_code == 2 and "unknown check(s): nope" in unknown.output
    missing = CliRunner().invoke(main, ["--api-key", "k"])
    assert missing.exit_code == 2 and "--base-url is required" in missing.output
    listed = CliRunner().invoke(main, ["--list-checks"])
    assert listed.exit_code == 0 and "pages_tile" in listed.output and "relation_union" in listed.output


def test_behind_a_gateway_within_a_time_limit(mock_app: Callable[..., Any]) -> None:
    """Links to the public name are followed with --link-origin; --max-time ends the run on time, exit 0."""
    public = "https://customers.example.com/api"
    with serving(linking_to(public)(mock_app())) as base_url:
        common = ("--base-url", base_url, "--api-key", API_KEY, "--seed", "3", "--workers", "2")
        wrong = contract_tests(*common, "--max-examples", "10", "--checks", "link_targets")
        right = contract_tests(*common, "--link-origin", public, "--max-time", "2", "--rate-limit", "200/s")
    assert wrong.returncode == 1 and f'rel="first" under {base_url}' in wrong.stdout
    assert right.returncode == 0, right.stdout + right.stderr
    assert "stopped early: the time limit of 2 s was reached" in right.stdout
    assert right.stdout.rstrip().endswith("no violations (stopped early)")
    assert "\r" not in right.stderr  # no progress line when stderr is not a terminal


def test_a_base_url_that_repeats_the_path_could_not_test_with_the_fix(mock_app: Callable[..., Any]) -> None:
    with serving(mock_app()) as base_url:
        result = CliRunner().invoke(main, ["--base-url", f"{base_url}/v2/customers", "--api-key", API_KEY])
    assert result.exit_code == 2, result.output
    assert "answered 404: the base URL should not include /v2/customers" in result.output
    assert f"(try --base-url {base_url})" in result.output and "violation" not in result.output


def test_a_base_url_that_is_not_the_api_could_not_test() -> None:
    def web_page(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"<!DOCTYPE html><h1>Welcome</h1>"]

    with serving(web_page) as base_url:
        result = CliRunner().invoke(main, ["--base-url", base_url, "--api-key", API_KEY])
    assert result.exit_code == 2, result.output
    assert "answered 200 with text/html, not JSON: --base-url" in result.output and "violation" not in result.output


def test_a_bad_data_file_is_rejected_with_the_line_the_mock_prints(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text('[{"_id": "x"}]')
    mock = subprocess.run(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(free_port()), "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result = CliRunner().invoke(
        main, ["--base-url", f"http://127.0.0.1:{free_port()}", "--api-key", API_KEY, "--data", str(data)]
    )
    line = f"{data}: customer 0 at $[0]: misses the required property 'number'"
    assert mock.returncode != 0 and line in mock.stderr
    assert result.exit_code == 2 and result.output.strip() == f"COULD NOT TEST: {line}"


def test_several_reports_are_written_and_the_printed_command_repeats_the_run(
    tmp_path: Path, mock_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    html, first, again = tmp_path / "run.html", tmp_path / "run.json", tmp_path / "again.json"
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        options = ["--base-url", base_url, "--checks", "response_schema", "--max-examples", "8"]
        done = CliRunner().invoke(main, [*options, "--api-key", API_KEY, "--report", str(html), "--report", str(first)])
        assert done.exit_code == 1, done.output
        repeat = next(line for line in done.output.splitlines() if line.startswith("repeat: "))
        seed = next(line for line in done.output.splitlines() if line.startswith("seed: ")).split()[1]
        assert repeat == (
            f'repeat: contract-tests --base-url {base_url} --api-key "$API_KEY" --checks response_schema'
            f" --max-examples 8 --seed {seed} --report {html} --report {first}"
        )
        command = repeat.removeprefix("repeat: contract-tests ").replace(str(first), str(again))
        monkeypatch.setenv("API_KEY", API_KEY)
        words = [os.path.expandvars(word) for word in shlex.split(command)]  # as a shell expands "$API_KEY"
        repeated = CliRunner().invoke(main, words)
    assert repeated.exit_code == 1, repeated.output
    assert html.read_text().startswith("<!DOCTYPE html>") and "repeat this run" in html.read_text()
    reports = [orjson.loads(path.read_bytes()) for path in (first, again)]
    assert reports[0]["run"]["seed"] == reports[1]["run"]["seed"] == int(seed)
    assert [failure["curl"] for failure in reports[0]["failures"]] == [
        failure["curl"] for failure in reports[1]["failures"]
    ]
    assert API_KEY not in done.output + html.read_text() + first.read_text()
