"""The app through Flask's test client: answers, headers, auth, CORS, Prefer, docs and the query limits."""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from flask.testing import FlaskClient

from customers_spec import Spec
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.http.limits import MAX_QUERY_BYTES
from tests.mockserver.conftest import AUTH, problem

PATH = "/v2/customers"


def links_of(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]*)>; rel="(\w+)"', response.headers["Link"])}


def test_default_page(client: FlaskClient, dataset: Dataset, spec: Spec) -> None:
    response = client.get(PATH, headers=AUTH)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    customers = response.get_json()
    assert len(customers) == len(dataset.customers)  # fewer than the default limit
    assert [customer["number"] for customer in customers] == sorted(c["number"] for c in dataset.customers)
    assert response.headers["X-Total-Count"] == str(len(dataset.customers))
    assert set(links_of(response)) == {"first", "last"}
    assert re.fullmatch(spec.document["components"]["headers"]["Link"]["schema"]["pattern"], response.headers["Link"])


def test_trailing_slash_answers_identically(client: FlaskClient) -> None:
    plain = client.get(f"{PATH}?limit=3&sort=name:1", headers=AUTH)
    slashed = client.get(f"{PATH}/?limit=3&sort=name:1", headers=AUTH)
    assert slashed.status_code == plain.status_code == 200
    assert slashed.data == plain.data
    assert slashed.headers["Link"] == plain.headers["Link"]
    assert slashed.headers["X-Total-Count"] == plain.headers["X-Total-Count"]


def test_repeated_queries_answer_alike_from_the_parsed_query_cache(client: FlaskClient, spec: Spec) -> None:
    query = f"{PATH}?sort=name:-1&limit=4&offset=2"
    first, second = client.get(query, headers=AUTH), client.get(query, headers=AUTH)
    assert first.data == second.data and first.headers["Link"] == second.headers["Link"]
    seen = client.get(query, headers=AUTH, base_url="http://other.example:8080")  # same query, other origin
    assert all(url.startswith("http://other.example:8080/") for url in links_of(seen).values())
    for _ in range(2):  # a 400 is never kept: the second request is judged afresh
        assert problem(client.get(f"{PATH}?limit=0", headers=AUTH), spec, 400)["errors"][0]["name"] == "limit"


def test_total_counts_matches_before_paging(client: FlaskClient, dataset: Dataset) -> None:
    ids = [customer["_id"] for customer in dataset.customers[:3]]
    response = client.get(f"{PATH}?ids={','.join(ids)}&limit=2", headers=AUTH)
    assert response.headers["X-Total-Count"] == "3"
    assert len(response.get_json()) == 2
    assert set(links_of(response)) == {"first", "next", "last"}


def test_following_next_links_visits_every_match_once(client: FlaskClient, dataset: Dataset) -> None:
    url = f"{PATH}?sort=name:-1&limit=7&status=0,1,2,3,4,5,6,7,8,9"
    first = client.get(url, headers=AUTH)
    total = int(first.headers["X-Total-Count"])
    seen: list[str] = []
    response, offset = first, "0"
    for _ in range(len(dataset.customers)):  # bounded: one page per customer at most
        assert response.status_code == 200
        seen += [customer["_id"] for customer in response.get_json()]
        next_url = links_of(response).get("next")
        if next_url is None:
            break
        parts = urlsplit(next_url)
        assert [name for name, _ in parse_qsl(parts.query)] == ["sort", "limit", "status", "offset"]
        offset = dict(parse_qsl(parts.query))["offset"]
        response = client.get(f"{parts.path}?{parts.query}", headers=AUTH)
    assert len(seen) == len(set(seen)) == total
    last = urlsplit(links_of(first)["last"])
    assert dict(parse_qsl(last.query))["offset"] == offset, "last leads to the page that following next ends on"


def test_links_keep_the_request_origin(client: FlaskClient) -> None:
    response = client.get(f"{PATH}?limit=1", headers=AUTH, base_url="http://mock.example:8080")
    assert all(url.startswith(f"http://mock.example:8080{PATH}?") for url in links_of(response).values())
    unusable = client.get(f"{PATH}?limit=1", headers={**AUTH, "Host": "a>b"})  # falls back to the server's address
    assert all(url.startswith(f"http://localhost:80{PATH}?") for url in links_of(unusable).values())


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("limit=abc", {"limit"}),
        ("limit=5000&offset=-3", {"limit", "offset"}),
        ("ids=not-an-id", {"ids"}),
        ("sort=name:up", {"sort"}),
        ("sort=colour:1", {"sort"}),
        ("generalField[field]=colour&generalField[operator]=eq&generalField[value]=x", {"generalField[field]"}),
        ("generalField[field]=name&generalField[operator]=gt", {"generalField[value]"}),
        (
            "generalField[field]=number&generalField[operator]=contains&generalField[value]=1",
            {"generalField[operator]"},
        ),
        ("generalField[field]=number&generalField[operator]=eq&generalField[value]=x", {"generalField[value]"}),
        ("generalField[nope]=1", {"generalField[nope]"}),
        ("limt=3", {"limt"}),
        ("offset=1&offset=2", {"offset"}),
    ],
)
def test_bad_queries_are_400_naming_each_parameter(client: FlaskClient, spec: Spec, query: str, names: set) -> None:
    body = problem(client.get(f"{PATH}?{query}", headers=AUTH), spec, 400)
    assert {error["name"] for error in body["errors"]} == names
    assert body["title"] == "Bad Request"
    assert body["type"] == "about:blank"


def test_unknown_parameter_suggestion_over_http(client: FlaskClient, spec: Spec) -> None:
    body = problem(client.get(f"{PATH}?sortt=name:1", headers=AUTH), spec, 400)
    assert body["errors"] == [
        {"name": "sortt", "in": "query", "reason": "is not a parameter of this operation", "suggestion": "sort"}
    ]


def test_lenient_ignores_unknown_parameters_and_links_keep_them(make_client, spec: Spec) -> None:
    client = make_client(lenient=True)
    response = client.get(f"{PATH}?utm_source=x&limit=1", headers=AUTH)
    assert response.status_code == 200
    assert all("utm_source=x" in url for url in links_of(response).values())
    problem(client.get(f"{PATH}?utm_source=x&limit=0", headers=AUTH), spec, 400)


def test_missing_or_empty_key_is_401(client: FlaskClient, spec: Spec) -> None:
    for headers in ({}, {"x-API-Key": ""}, {"x-API-Key": "  "}):
        body = problem(client.get(PATH, headers=headers), spec, 401)
        assert body["detail"] == "The x-API-Key header is missing."
    assert client.get(PATH, headers={"X-API-KEY": "anything"}).status_code == 200


def test_configured_keys_only(make_client, spec: Spec) -> None:
    client = make_client(api_keys=frozenset({"alpha", "beta"}))
    assert client.get(PATH, headers={"x-API-Key": "beta"}).status_code == 200
    body = problem(client.get(PATH, headers={"x-API-Key": "gamma"}), spec, 401)
    assert "not accepted" in body["detail"]
    problem(client.get(PATH, headers={"x-API-Key": "bëta"}), spec, 401)


def test_keys_from_the_environment(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSERVER_API_KEYS", "from-env, other")
    client = create_app(Config(log_requests=False), dataset=dataset).test_client()
    assert client.get(PATH, headers={"x-API-Key": "other"}).status_code == 200
    assert client.get(PATH, headers={"x-API-Key": "from-env"}).status_code == 200
    assert client.get(PATH, headers={"x-API-Key": "alpha"}).status_code == 401


def test_cors_any_origin_by_default(client: FlaskClient) -> None:
    response = client.get(PATH, headers={**AUTH, "Origin": "http://localhost:5173"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {name.strip() for name in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Total-Count", "Link"} <= exposed
    assert client.get(PATH).headers["Access-Control-Allow-Origin"] == "*"  # errors are readable too


def test_preflight_needs_no_key(client: FlaskClient) -> None:
    response = client.options(
        PATH,
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Methods"] == "GET"
    allowed = {name.strip().lower() for name in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"x-api-key", "prefer"} <= allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "GET" in response.headers["Allow"]
    assert client.options("/nowhere").status_code == 404


def test_cors_restricted_to_configured_origins(make_client) -> None:
    client = make_client(cors_origins=frozenset({"http://app.local"}))
    allowed = client.get(PATH, headers={**AUTH, "Origin": "http://app.local"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://app.local"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.get(PATH, headers={**AUTH, "Origin": "http://evil.local"})
    assert refused.status_code == 200
    assert "Access-Control-Allow-Origin" not in refused.headers
    preflight = client.options(PATH, headers={"Origin": "http://evil.local", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Methods" not in preflight.headers


@pytest.mark.parametrize("status", [400, 401, 500])
def test_prefer_code_returns_that_problem(client: FlaskClient, spec: Spec, status: int) -> None:
    response = client.get(PATH, headers={**AUTH, "Prefer": f"code={status}"})
    problem(response, spec, status)
    assert response.headers["Preference-Applied"] == f"code={status}"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_prefer_code_400_is_the_spec_example(client: FlaskClient, spec: Spec) -> None:
    body = problem(client.get(PATH, headers={"Prefer": "code=400"}), spec, 400)
    example = spec.document["components"]["responses"]["BadRequest"]["content"]["application/problem+json"]
    assert body == example["example"]


def test_prefer_unknown_or_unsupported_is_ignored(client: FlaskClient) -> None:
    for prefer in ("code=200", "code=abc", "return=minimal", "code=999"):
        response = client.get(PATH, headers={**AUTH, "Prefer": prefer})
        assert response.status_code == 200, prefer
        assert "Preference-Applied" not in response.headers


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr("mockserver.http.prefer.time.sleep", slept.append)
    return slept


def test_prefer_delay_is_bounded(client: FlaskClient, sleeps: list[float]) -> None:
    response = client.get(PATH, headers={**AUTH, "Prefer": "delay=250"})
    assert response.status_code == 200
    assert response.headers["Preference-Applied"] == "delay=250"
    client.get(PATH, headers={**AUTH, "Prefer": "delay=999999, code=500"})
    assert sleeps == [0.25, 30.0]


def test_configured_delay_applies_to_every_answer(make_client, sleeps: list[float]) -> None:
    client = make_client(delay_ms=40)
    client.get(PATH, headers=AUTH)
    client.get(PATH)
    client.get(PATH, headers={**AUTH, "Prefer": "delay=0"})
    assert sleeps == [0.04, 0.04]


def test_a_real_delay_is_slept(make_client) -> None:
    import time

    client = make_client(delay_ms=50)
    started = time.perf_counter()
    client.get(PATH, headers=AUTH)
    assert time.perf_counter() - started >= 0.05


def test_openapi_yaml_is_the_spec_pointing_here(client: FlaskClient, spec: Spec) -> None:
    response = client.get("/openapi.yaml", base_url="http://127.0.0.1:4010")
    assert response.status_code == 200
    document = yaml.safe_load(response.data)
    assert document["servers"] == [{"url": "http://127.0.0.1:4010", "description": "this mock server"}]
    assert {key: value for key, value in document.items() if key != "servers"} == {
        key: value for key, value in spec.document.items() if key != "servers"
    }


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_page_and_its_local_assets(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert client.get("/docs/").data == page.data
    assets = _Assets()
    assets.feed(page.get_data(as_text=True))
    assert len(assets.urls) >= 3
    for url in assets.urls:
        assert url.startswith("/"), f"{url} is not served by the mock"
        with client.get(url) as asset:
            assert asset.status_code == 200, url
            assert len(asset.data) > 0
    init = client.get("/docs/init.js").get_data(as_text=True)
    assert "/docs/openapi.json" in init and "validatorUrl: null" in init


def test_docs_spec_is_the_spec_pointing_here_without_prefilled_filters(client: FlaskClient, spec: Spec) -> None:
    document = client.get("/docs/openapi.json", base_url="http://localhost:3000").get_json()
    assert document["servers"] == [{"url": "http://localhost:3000", "description": "this mock server"}]
    name = document["components"]["parameters"]["name"]
    assert "example" not in name  # it would prefill "Try it out"
    assert "Example: `cleaning`" in name["description"]
    assert document["components"]["parameters"]["generalField"].pop("example") == {}  # not a made-up filter
    original = json.loads(json.dumps(spec.document, default=str))  # a copy, in JSON's types
    del document["servers"], original["servers"]
    for parameter in document["components"]["parameters"].values():
        parameter["description"] = parameter["description"].partition("\n\nExample: ")[0].rstrip()
    for parameter in original["components"]["parameters"].values():
        parameter.pop("example", None)
        parameter["description"] = parameter["description"].rstrip()
    assert document == original, "apart from the servers and the examples, /docs shows the spec as it is"


def test_query_past_the_limit_is_414(client: FlaskClient, spec: Spec) -> None:
    problem(client.get(f"{PATH}?name={'a' * (MAX_QUERY_BYTES + 1)}", headers=AUTH), spec, 414)


@pytest.mark.parametrize("name", ["name", "ids", "sort", "generalField[value]", "status", "limit"])
def test_64_kb_values_are_answered_not_crashed(client: FlaskClient, name: str) -> None:
    response = client.get(f"{PATH}?{name}={'7' * 65536}", headers=AUTH)
    assert response.status_code == 400
    assert len(response.data) < 4096


def test_one_log_line_per_request(make_client, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(log_requests=True)
    with caplog.at_level(logging.INFO, logger="mockserver.requests"):
        client.get(f"{PATH}?limit=2", headers=AUTH)
        client.get(f"{PATH}?limit=0", headers=AUTH)
    lines = [record.getMessage() for record in caplog.records if record.name == "mockserver.requests"]
    assert len(lines) == 2
    assert re.fullmatch(r"GET /v2/customers\?limit=2 200 \d+\.\dms", lines[0])
    assert re.fullmatch(r"GET /v2/customers\?limit=0 400 \d+\.\dms", lines[1])


def test_request_log_can_be_turned_off(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mockserver.requests"):
        client.get(PATH, headers=AUTH)
    assert not [record for record in caplog.records if record.name == "mockserver.requests"]
