"""``contract-tests proxy``: the kit's own generated traffic sent through it, to the mock and to faulty upstreams.

The proxy app runs in-process on a real socket (werkzeug in a thread), in front of a real upstream, so every
test sees what a client sees; one test runs the installed command under gunicorn and stops it with SIGINT.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests

from contract_tests.judging.context import Context
from contract_tests.judging.registry import CHECKS, Check
from contract_tests.judging.selection import select_checks
from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from contract_tests.running.setup import http_context
from customers_spec import Spec
from mockserver.dataset import Dataset
from selftest.faults import FAULTS, Fault
from selftest.servers import free_port
from tests.contract_tests.conftest import API_KEY, run_kit, serving
from tests.contract_tests.test_cli import silent_port
from tests.contract_tests.test_paging import linking_to

pytestmark = pytest.mark.slow

KEY = {"x-API-Key": API_KEY}
EXAMPLES = 60
EXAMPLES_PER_FAULT = 150  # as test_faults gives the kit: some faults show only on rare requests (ne on a gap)
# A wrong key the upstream accepts looks, to a proxy, exactly like a right one: only the upstream knows its keys.
UNSEEABLE = {"any key accepted"}


@contextlib.contextmanager
def proxied(upstream: Any, spec: Spec, **options: Any) -> Iterator[tuple[str, str, ProxyJudge]]:
    """The upstream app served, the proxy in front of it: (proxy URL, upstream URL, the proxy's judge)."""
    with serving(upstream) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks()))
        with serving(ProxyApp(judge, **options)) as proxy_url:
            yield proxy_url, upstream_url, judge


def through(proxy_url: str, spec: Spec, dataset: Dataset) -> Context:
    """A kit context whose generated requests all go through the proxy."""
    ctx = http_context(proxy_url, API_KEY, spec=spec, rejects_invalid_keys=True)
    ctx.load_sample({"objects": dataset.objects})
    return ctx


def test_the_mock_conforms_through_the_proxy_and_answers_pass_unchanged(
    spec: Spec, dataset: Dataset, mock_app: Callable[..., Any]
) -> None:
    with proxied(mock_app(), spec, preserve_host=True) as (proxy_url, upstream_url, judge):
        outcome = run_kit(through(proxy_url, spec, dataset), max_examples=EXAMPLES)
        queries = ["", "?limit=3&offset=2&sort=name:-1", "?name=er&limit=5", "?limit=abc", "?nope=1"]
        pairs = [
            (requests.get(base + spec.path + query, headers=KEY, timeout=10) for base in (proxy_url, upstream_url))
            for query in queries
        ]
        answers = [tuple(pair) for pair in pairs]
    from contract_tests.reporting.text import text_report

    assert outcome.exit_code == 0 and outcome.examples >= EXAMPLES, text_report(outcome, "x-API-Key")
    assert judge.outcome.examples >= EXAMPLES and not judge.outcome.failures, judge.outcome.failures
    judged = {name for name in judge.outcome.checks if judge.outcome.passed[name]}
    assert {"response_schema", "filters_hold", "sort_order", "page_size", "link_header", "auth_enforced"} <= judged
    assert {"invalid_input_rejected", "valid_input_accepted"} <= judged
    for via_proxy, direct in answers:
        assert (via_proxy.status_code, via_proxy.content) == (direct.status_code, direct.content)
        for header in ("Content-Type", "X-Total-Count", "Access-Control-Allow-Origin"):
            assert via_proxy.headers.get(header) == direct.headers.get(header)
        assert via_proxy.headers.get("Link") == _on(direct.headers.get("Link"), upstream_url, proxy_url)
        assert via_proxy.headers[VIOLATIONS_HEADER] == "0"


def _on(link: str | None, upstream_url: str, proxy_url: str) -> str | None:
    """The upstream's Link as it reads through a proxy that keeps the client's Host: the same, on the proxy."""
    return None if link is None else link.replace(upstream_url, proxy_url)


def _seeable(fault: Fault) -> bool:
    return fault.name not in UNSEEABLE and any(not CHECKS[name].follow_ups for name in fault.caught_by)


select_checks()  # registers the checks, so the parametrization below can read which send follow-ups
SEEABLE = [fault for fault in FAULTS if _seeable(fault)]


@pytest.mark.parametrize("fault", SEEABLE, ids=[fault.name for fault in SEEABLE])
def test_each_fault_a_passive_check_sees_is_caught_on_live_traffic(
    fault: Fault, spec: Spec, dataset: Dataset, mock_app: Callable[..., Any]
) -> None:
    app = mock_app(**fault.config)
    app = fault.wrap(app) if fault.wrap is not None else app
    passive = sorted(name for name in fault.caught_by if not CHECKS[name].follow_ups)
    with proxied(app, spec) as (proxy_url, _, judge):
        # The kit's run for the fault, follow-up requests and all, is the traffic the proxy watches.
        run_kit(through(proxy_url, spec, dataset), max_examples=EXAMPLES_PER_FAULT, checks=sorted(fault.caught_by))
    found = {failure.check for failure in judge.outcome.failures}
    assert found & set(passive), f"{fault.name}: the proxy found {found}, not {passive}"


def test_strict_mode_answers_a_violation_with_a_502_problem(spec: Spec, mock_app: Callable[..., Any]) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    with proxied(fault.wrap(mock_app()), spec, strict=True) as (proxy_url, _, judge):  # type: ignore[misc]
        answer = requests.get(f"{proxy_url}{spec.path}?limit=2", headers=KEY, timeout=10)
        problem_answer = requests.get(f"{proxy_url}{spec.path}?limit=abc", headers=KEY, timeout=10)
    assert answer.status_code == 502
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.headers[VIOLATIONS_HEADER] == "1; response_schema"
    assert answer.headers["Access-Control-Allow-Origin"] == "*", "a browser can still read what was wrong"
    problem = answer.json()
    assert problem["status"] == 502 and problem["violations"][0]["check"] == "response_schema"
    assert problem["violations"][0]["path"] == "$[0].number"
    assert problem_answer.status_code == 400, "a conforming answer passes unchanged"
    assert judge.outcome.failed["response_schema"] == 1


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


def test_an_unreachable_or_silent_upstream_gets_a_problem_not_a_hang(spec: Spec) -> None:
    judge = ProxyJudge(spec, f"http://127.0.0.1:{free_port()}", passive_checks(select_checks()))
    with serving(ProxyApp(judge, timeout=1.0)) as proxy_url:
        refused = requests.get(proxy_url + spec.path, headers=KEY, timeout=10)
    with silent_port() as port:
        judge = ProxyJudge(spec, f"http://127.0.0.1:{port}", passive_checks(select_checks()))
        app = ProxyApp(judge, timeout=0.5)
        with serving(_answering_readiness(app)) as proxy_url:
            started = time.monotonic()
            silent = requests.get(proxy_url + spec.path, headers=KEY, timeout=10)
            waited = time.monotonic() - started
    assert refused.status_code == 502 and refused.json()["title"] == "Upstream unreachable"
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert silent.status_code == 504 and silent.json()["title"] == "Upstream timeout"
    assert waited < 5


def _answering_readiness(app: ProxyApp) -> Callable[..., Any]:
    """The proxy, with the test server's readiness probe (/openapi.yaml) answered here: the upstream is silent."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] == "/openapi.yaml":
            start_response("200 OK", [("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return wrapped


BIG_CHUNKS, CHUNK = 640, b"x" * 65536  # 40 MiB: held whole anywhere, the peak would pass it


def _big_upstream(inner: Callable[..., Any]) -> Callable[..., Any]:
    """The mock, plus /big: 40 MiB generated chunk by chunk, never whole in memory."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] != "/big":
            return inner(environ, start_response)
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return (CHUNK for _ in range(BIG_CHUNKS))

    return app


def test_outside_the_spec_and_preflights_pass_through_unjudged_and_large_bodies_stream(
    spec: Spec, mock_app: Callable[..., Any]
) -> None:
    preflight = {"Origin": "http://example.test", "Access-Control-Request-Method": "GET"}
    with proxied(_big_upstream(mock_app()), spec) as (proxy_url, upstream_url, judge):
        spec_file = [requests.get(base + "/openapi.yaml", timeout=10) for base in (proxy_url, upstream_url)]
        options = [
            requests.options(base + spec.path, headers=preflight, timeout=10) for base in (proxy_url, upstream_url)
        ]
        tracemalloc.start()
        digest = hashlib.sha256()
        with requests.get(proxy_url + "/big", stream=True, timeout=30) as big:
            for chunk in big.iter_content(65536):
                digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert spec_file[0].content == spec_file[1].content and spec_file[0].status_code == 200
    assert options[0].status_code == options[1].status_code
    assert options[0].headers.get("Access-Control-Allow-Methods") == options[1].headers.get(
        "Access-Control-Allow-Methods"
    )
    assert VIOLATIONS_HEADER not in options[0].headers and VIOLATIONS_HEADER not in spec_file[0].headers
    assert digest.hexdigest() == hashlib.sha256(CHUNK * BIG_CHUNKS).hexdigest()
    assert peak < 16 * 2**20, f"40 MiB passed holding {peak / 2**20:.1f} MiB at the peak"
    assert judge.outcome.examples == 0 and judge.passed_through >= 4


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
    assert "violation(s) in 4 requests" in out
    document = orjson.loads(report.read_bytes())
    assert document["requests"] == 4 and {each["check"] for each in document["failures"]} == {"link_header"}
    assert document["failures"][0]["exchange"]["status"] == 200
    assert 'name="link_header"' in junit.read_text()
    assert API_KEY not in out + err + report.read_text() + junit.read_text()


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


def test_identical_answers_get_the_same_verdict_counted_each_time(spec: Spec, mock_app: Callable[..., Any]) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "limit off by one")
    with proxied(fault.wrap(mock_app()), spec) as (proxy_url, _, judge):  # type: ignore[misc]
        answers = [requests.get(f"{proxy_url}{spec.path}?limit=4", headers=KEY, timeout=10) for _ in range(3)]
    assert judge.verdict_cache and len(judge._verdicts) == 1
    assert [answer.headers[VIOLATIONS_HEADER] for answer in answers] == ["2; page_size, link_header"] * 3
    assert judge.outcome.examples == 3 and judge.outcome.failed["page_size"] == 3
    assert judge.outcome.passed["response_schema"] == 3
    assert [failure.check for failure in judge.outcome.failures] == ["page_size", "link_header"], "kept once"


def _encoded_as(encoding: str, inner: Callable[..., Any]) -> Callable[..., Any]:
    """The upstream, claiming a Content-Encoding the checks cannot read (its body stays plain JSON)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            return start_response(status, [*headers, ("Content-Encoding", encoding)], *rest)

        return inner(environ, start)

    return app


def test_an_answer_in_an_encoding_the_checks_cannot_read_passes_unjudged(
    spec: Spec, mock_app: Callable[..., Any]
) -> None:
    with proxied(_encoded_as("br", mock_app()), spec) as (proxy_url, _, judge):  # type: ignore[misc]
        answer = requests.get(
            f"{proxy_url}{spec.path}?limit=2", headers={**KEY, "Accept-Encoding": "identity"}, timeout=10
        )
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "br"
    assert VIOLATIONS_HEADER not in answer.headers, "not judged, so no verdict (and no false alarm)"
    assert not judge.outcome.failures and judge.outcome.examples == 0


def test_a_check_that_tries_to_send_a_request_loses_only_its_own_verdict(
    spec: Spec, mock_app: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A team's check not marked ``follow_ups`` asks the proxy's context to send: the other checks still judge."""

    def asks_again(ctx: Context, case: Any, response: Any) -> None:
        ctx.send(case)

    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    checks = (*passive_checks(select_checks()), Check("asks_again", asks_again, frozenset({"valid"}), needs_page=False))
    with serving(fault.wrap(mock_app())) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, checks)
        with serving(ProxyApp(judge)) as proxy_url, caplog.at_level(logging.WARNING, "contract_tests.proxy"):
            answer = requests.get(f"{proxy_url}{spec.path}?limit=2", headers=KEY, timeout=10)
    assert answer.headers[VIOLATIONS_HEADER] == "1; response_schema"
    assert judge.outcome.failed["response_schema"] == 1 and judge.outcome.passed["content_type"] == 1
    assert "asks_again" not in judge.outcome.passed and "asks_again was skipped" in caplog.text


def test_behind_a_gateway_links_are_judged_against_the_declared_origin(
    spec: Spec, mock_app: Callable[..., Any]
) -> None:
    public = "https://customers.example.com/api"
    with serving(linking_to(public)(mock_app())) as upstream_url:
        verdicts = {}
        for link_origin in (None, public):
            judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks()), link_origin=link_origin)
            with serving(ProxyApp(judge)) as proxy_url:
                answer = requests.get(f"{proxy_url}{spec.path}?limit=2&offset=4", headers=KEY, timeout=10)
            verdicts[link_origin] = answer.headers.get(VIOLATIONS_HEADER)
    assert verdicts[None] == "1; link_header"
    assert verdicts[public] == "0"
