"""Forwarding: answers pass unchanged, the spec's operation judged on the way; the rest, and large bodies, stream."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from contract_tests.judging.selection import select_checks
from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.forwarding import ProxyApp, _raw_target
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from contract_tests.sending.gateway import Gateway
from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.errors import KitError
from selftest.certificates import issue_certificates, serving_tls
from selftest.gatekeeper import gatekeeper
from tests.contract_tests.conftest import run_kit, serving
from tests.contract_tests.proxy.conftest import KEY, proxied, through

EXAMPLES = 60


@pytest.mark.slow
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


BIG_CHUNKS, CHUNK = 640, b"x" * 65536  # 40 MiB: held whole anywhere, the peak would pass it


def _big_upstream(inner: Callable[..., Any]) -> Callable[..., Any]:
    """The mock, plus /big: 40 MiB generated chunk by chunk, never whole in memory."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] != "/big":
            return inner(environ, start_response)
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return (CHUNK for _ in range(BIG_CHUNKS))

    return app


@pytest.mark.slow
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


def test_the_target_is_forwarded_as_the_client_wrote_it() -> None:
    assert _raw_target({"RAW_URI": "/v2/customers?name=a%2Cb"}) == "/v2/customers?name=a%2Cb"
    assert _raw_target({"REQUEST_URI": "http://proxy:3000/v2/customers?x=1"}) == "/v2/customers?x=1"
    assert _raw_target({"PATH_INFO": "/v2/customers", "QUERY_STRING": "limit=1"}) == "/v2/customers?limit=1"
    assert _raw_target({"PATH_INFO": "/v2/customers"}) == "/v2/customers"


def test_connection_headers_stay_behind_and_the_host_is_the_upstreams(spec: Spec) -> None:
    judge = ProxyJudge(spec, "http://upstream:8080", ())
    environ = {
        "HTTP_HOST": "proxy:3000",
        "HTTP_CONNECTION": "keep-alive",
        "HTTP_X_API_KEY": "k",
        "CONTENT_TYPE": "text/plain",
        "wsgi.url_scheme": "https",
    }
    assert ProxyApp(judge)._request_headers(environ) == {
        "Host": "upstream:8080",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "proxy:3000",
        "X-Api-Key": "k",
        "Content-Type": "text/plain",
    }
    assert ProxyApp(judge, preserve_host=True)._request_headers(environ)["Host"] == "proxy:3000"
    with pytest.raises(KitError, match="--upstream must be an http:// or https:// URL"):
        ProxyApp(ProxyJudge(spec, "ftp://upstream", ()))


@pytest.mark.slow
def test_behind_a_gateway_its_headers_and_certificate_go_with_every_forwarded_request(
    spec: Spec, mock_app: Callable[..., Any], tmp_path: Path
) -> None:
    """An https upstream of a private CA asking for a client certificate, a bearer token and a tenant header."""
    certificates = issue_certificates(tmp_path)
    misses: list[str] = []
    upstream = gatekeeper(mock_app(), {"X-Tenant": "tenant-7", "Authorization": "Bearer pr0xy-token"}, misses)
    gateway = Gateway(
        (("X-Tenant", "tenant-7"),),
        bearer="pr0xy-token",
        client_cert=certificates.client_cert,
        client_key=certificates.client_key,
        ca_bundle=certificates.ca,
    )
    with serving_tls(upstream, certificates) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks()))
        with serving(ProxyApp(judge, gateway=gateway)) as proxy_url:
            client = {**KEY, "Authorization": "Bearer the-clients-own"}  # replaced by the proxy's
            answer = requests.get(f"{proxy_url}{spec.path}?limit=2", headers=client, timeout=10)
    assert answer.status_code == 200 and answer.headers[VIOLATIONS_HEADER] == "0"
    assert misses == [] and judge.outcome.examples == 1
