"""The proxy's own answers: a 502 problem for a violation in strict mode, 502/504 problems for a failed upstream."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest
import requests

from contract_tests.judging.failures import SchemaViolation
from contract_tests.judging.selection import select_checks
from contract_tests.proxy.answers import VIOLATIONS_HEADER, expose, problem_body, problem_headers, strict_answer
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from contract_tests.running.records import Failure
from customers_spec import Spec
from selftest.faults import FAULTS
from selftest.servers import free_port
from tests.contract_tests.conftest import serving
from tests.contract_tests.proxy.conftest import KEY, proxied
from tests.contract_tests.test_cli import silent_port


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_the_problem_bodies_share_one_shape() -> None:
    body = orjson.loads(problem_body(504, "Upstream timeout", "no answer", extra=[1]))
    assert list(body) == ["type", "title", "status", "detail", "extra"]
    assert body == {
        "type": "about:blank",
        "title": "Upstream timeout",
        "status": 504,
        "detail": "no answer",
        "extra": [1],
    }
    raw = problem_body(502, "t", "d")
    assert problem_headers(raw) == [("Content-Type", "application/problem+json"), ("Content-Length", str(len(raw)))]


def test_the_verdict_header_is_exposed_where_the_upstream_exposes_headers() -> None:
    headers = [("Access-Control-Expose-Headers", "Link, X-Total-Count"), ("Content-Type", "application/json")]
    expose(headers)
    assert headers[0] == ("Access-Control-Expose-Headers", f"Link, X-Total-Count, {VIOLATIONS_HEADER}")
    everything = [("Access-Control-Expose-Headers", "*")]
    expose(everything)
    assert everything == [("Access-Control-Expose-Headers", "*")]


def test_a_strict_answer_keeps_cors_and_leaves_the_key_out() -> None:
    violation = SchemaViolation("integer to hold", "'k3y-s3cret' is not of type 'integer'", "$[0].number")
    failure = Failure("response_schema", violation, "http://h/v2/customers", "key")
    started: list[Any] = []
    headers = [("Access-Control-Allow-Origin", "*"), ("X-Total-Count", "3")]
    (body,) = strict_answer(lambda *args: started.append(args), [failure], headers, "1; response_schema", "k3y-s3cret")
    status, sent = started[0]
    assert status == "502 Bad Gateway" and ("Access-Control-Allow-Origin", "*") in sent
    assert ("X-Total-Count", "3") not in sent and (VIOLATIONS_HEADER, "1; response_schema") in sent
    problem = orjson.loads(body)
    assert problem["violations"][0]["got"] == "'$API_KEY' is not of type 'integer'"
