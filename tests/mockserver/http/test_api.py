"""The operation's route through Flask's test client: pages, totals, links, the parsed-query cache and 400s."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from customers_spec import Spec
from customers_spec.datafile import Dataset
from tests.mockserver.conftest import AUTH, PATH, problem


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
