"""The staging's HTTP face: the key, the problems, the headers, both path spellings, and the latency."""

from __future__ import annotations

import time
from collections.abc import Callable

import orjson
from werkzeug.test import Client

from customers_spec import Spec
from selftest.sqlstaging import Staging
from selftest.sqlstaging.app import Latency
from tests.selftest.sqlstaging.conftest import SIZE, ask


def test_a_page_carries_its_total_and_links(spec: Spec, staged: Callable[..., Staging]) -> None:
    status, items, headers = ask(staged(), spec, "limit=10&offset=20&sort=number:-1")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert [item["number"] for item in items] == sorted((item["number"] for item in items), reverse=True)
    assert headers[spec.pagination.total_header] == str(SIZE)
    assert 'limit=10&offset=10&sort=number%3A-1>; rel="prev"' in headers[spec.pagination.link_header]
    assert ask(staged(), spec, "sort=number:1")[1][:3] == ask(staged(), spec, "")[1][:3]


def test_without_the_key_or_with_another_the_answer_is_401(spec: Spec, staged: Callable[..., Staging]) -> None:
    client = Client(staged().app)
    for headers in ({}, {spec.api_key_header: "not the key"}):
        answer = client.get(spec.path, headers=headers)
        assert answer.status_code == 401 and answer.headers["Content-Type"] == "application/problem+json"
        assert spec.api_key_header in answer.headers["WWW-Authenticate"]


def test_an_invalid_query_is_a_problem_naming_the_parameters(spec: Spec, staged: Callable[..., Staging]) -> None:
    status, (body,), headers = ask(staged(), spec, "limit=5000&sort=x:1")
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    assert body["detail"] == "2 query parameters are invalid." and body["title"] == "Bad Request"
    assert [error["name"] for error in body["errors"]] == ["limit", "sort"]


def test_the_trailing_slash_answers_alike_and_other_paths_are_404(spec: Spec, staged: Callable[..., Staging]) -> None:
    client = Client(staged().app)
    key = {spec.api_key_header: "contract-tests-api-key"}
    plain, slashed = client.get(f"{spec.path}?limit=3", headers=key), client.get(f"{spec.path}/?limit=3", headers=key)
    assert plain.data == slashed.data and plain.headers["Link"] == slashed.headers["Link"]
    missing = client.get("/v2/other", headers=key)
    assert missing.status_code == 404 and orjson.loads(missing.data)["status"] == 404
    assert client.post(spec.path, headers=key).status_code == 405


def test_the_latency_is_deterministic_and_within_its_bounds() -> None:
    waits = [Latency(20, 50, seed=3).next_ms() for _ in range(2)]
    latency = Latency(20, 50, seed=3)
    drawn = [latency.next_ms() for _ in range(200)]
    assert waits[0] == waits[1] == drawn[0]
    assert all(20 <= wait < 50 for wait in drawn) and max(drawn) - min(drawn) > 20
    start = time.perf_counter()
    Latency(20, 21).wait()
    assert time.perf_counter() - start >= 0.02
