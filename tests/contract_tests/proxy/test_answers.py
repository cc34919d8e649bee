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
from contract_tests.proxy.answers import (
    DETAILS_HEADER,
    EXPOSED,
    MAX_DETAILS_BYTES,
    VIOLATIONS_HEADER,
    expose,
    problem_body,
    problem_headers,
    strict_answer,
    verdict_headers,
)
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
    assert headers[0] == ("Access-Control-Expose-Headers", f"Link, X-Total-Count, {EXPOSED}")
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


def test_the_details_header_is_ascii_json_bounded_and_free_of_secrets() -> None:
    violation = SchemaViolation("a name", "'Müller k3y-s3cret' is not of type 'integer'", "$[0].number")
    failure = Failure("response_schema", violation, "http://h/v2/customers", "key")
    (count, details) = verdict_headers([failure], "1; response_schema", {"k3y-s3cret": "$API_KEY"})
    assert count == (VIOLATIONS_HEADER, "1; response_schema") and details[0] == DETAILS_HEADER
    assert details[1].isascii() and "k3y-s3cret" not in details[1]
    (parsed,) = orjson.loads(details[1])
    assert parsed == {
        "check": "response_schema",
        "summary": violation.summary,
        "expected": "a name",
        "got": "'Müller $API_KEY' is not of type 'integer'",
        "path": "$[0].number",
    }
    many = verdict_headers([failure] * 200, "200; response_schema", None)[1][1]
    assert len(many) <= MAX_DETAILS_BYTES and 1 < len(orjson.loads(many)) < 200  # the count says how many
    assert verdict_headers([], "0", None)[1] == (DETAILS_HEADER, "[]")


@pytest.mark.slow
def test_a_judged_answer_carries_its_violations_as_json(spec: Spec, mock_app: Callable[..., Any]) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    with proxied(fault.wrap(mock_app()), spec) as (proxy_url, _, _judge):  # type: ignore[misc]
        answer = requests.get(f"{proxy_url}{spec.path}?limit=2", headers={**KEY, "Origin": "http://page"}, timeout=10)
    details = orjson.loads(answer.headers[DETAILS_HEADER])
    assert answer.headers[VIOLATIONS_HEADER] == "1; response_schema"
    assert [each["check"] for each in details] == ["response_schema"] and details[0]["path"]
    assert DETAILS_HEADER in answer.headers["Access-Control-Expose-Headers"]


@pytest.mark.slow
def test_the_proxys_own_answers_carry_cors_and_a_preflight_goes_through(spec: Spec) -> None:
    """A page on another origin reads the 502 problem: the preflight is allowed, the answer has CORS headers."""
    judge = ProxyJudge(spec, f"http://127.0.0.1:{free_port()}", passive_checks(select_checks()))
    page = {"Origin": "http://page.example"}
    with serving(ProxyApp(judge, timeout=1.0)) as proxy_url:
        before = judge.own_answers[502]
        preflight = requests.options(
            proxy_url + spec.path,
            headers={**page, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-api-key"},
            timeout=10,
        )
        refused = requests.get(proxy_url + spec.path, headers={**KEY, **page}, timeout=10)
        anonymous = requests.get(proxy_url + spec.path, headers=KEY, timeout=10)
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://page.example"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET"
    assert preflight.headers["Access-Control-Allow-Headers"] == "x-api-key"
    assert preflight.headers["Access-Control-Max-Age"] == "0", "once the upstream is back, its own preflight counts"
    assert refused.status_code == 502 and refused.json()["title"] == "Upstream unreachable"
    assert (
        refused.headers["Access-Control-Allow-Origin"] == "http://page.example" and refused.headers["Vary"] == "Origin"
    )
    assert anonymous.headers["Access-Control-Allow-Origin"] == "*"
    assert judge.own_answers[502] - before == 2, "the two 502s are counted, the preflight is not"
