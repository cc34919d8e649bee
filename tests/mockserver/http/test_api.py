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


def _owner_with_most_sites(dataset: Dataset) -> str:
    owners = [site["customerId"] for site in dataset.objects]
    return max(set(owners), key=owners.count)


def test_the_sites_list_answers_from_the_same_engine_with_its_own_filters(
    example_client: FlaskClient, dataset: Dataset
) -> None:
    response = example_client.get("/v2/objects", query_string={"limit": 1000}, headers=AUTH)
    sites = response.get_json()
    assert response.headers["X-Total-Count"] == str(len(dataset.objects)) == str(len(sites))
    assert [site["name"] for site in sites] == sorted(site["name"] for site in dataset.objects)  # default name:1
    known = {customer["_id"] for customer in dataset.customers}
    assert all(site["customerId"] in known for site in sites)  # one dataset: every site's customer exists
    city = sites[0]["address"]["city"]
    filtered = example_client.get("/v2/objects", query_string={"city": city[1:].lower(), "limit": 1000}, headers=AUTH)
    expected = [site for site in dataset.objects if city[1:].casefold() in site["address"]["city"].casefold()]
    assert filtered.headers["X-Total-Count"] == str(len(expected))
    assert {site["_id"] for site in filtered.get_json()} == {site["_id"] for site in expected}


def test_a_sub_collection_is_the_sites_list_filtered_by_its_parent_paged_and_linked(
    example_client: FlaskClient, dataset: Dataset
) -> None:
    owner = _owner_with_most_sites(dataset)
    mine = example_client.get(f"/v2/customers/{owner}/objects", headers=AUTH)
    filtered = example_client.get("/v2/objects", query_string={"customer": owner}, headers=AUTH)
    assert mine.status_code == 200 and mine.data == filtered.data
    count = sum(site["customerId"] == owner for site in dataset.objects)
    assert mine.headers["X-Total-Count"] == str(count) and count >= 2
    assert all(site["customerId"] == owner for site in mine.get_json())
    second = example_client.get(f"/v2/customers/{owner}/objects", query_string={"limit": 1, "offset": 1}, headers=AUTH)
    assert second.get_json() == [mine.get_json()[1]]
    assert second.headers["X-Total-Count"] == str(count)
    assert urlsplit(links_of(second)["prev"]).path == f"/v2/customers/{owner}/objects"


def test_an_unknown_parent_is_a_404_problem_and_a_malformed_one_a_400(
    example_client: FlaskClient, example_app_spec: Spec
) -> None:
    body = problem(
        example_client.get("/v2/customers/ffffffffffffffffffffffff/objects", headers=AUTH), example_app_spec, 404
    )
    assert body["detail"] == "No record of customers has the _id ffffffffffffffffffffffff."
    body = problem(example_client.get("/v2/customers/nope/objects", headers=AUTH), example_app_spec, 400)
    assert [(error["name"], error["in"]) for error in body["errors"]] == [("customerId", "path")]


def test_without_a_documented_404_an_unknown_parent_is_an_empty_page(tmp_path, dataset: Dataset) -> None:
    import yaml

    from mockserver.app import create_app
    from mockserver.config import Config
    from tests.conftest import EXAMPLE_SPEC

    document = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    del document["paths"]["/v2/customers/{customerId}/objects"]["get"]["responses"]["404"]
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    client = create_app(Config(spec=tmp_path / "spec.yaml", log_requests=False), dataset=dataset).test_client()
    answer = client.get("/v2/customers/ffffffffffffffffffffffff/objects", headers=AUTH)
    assert (answer.status_code, answer.get_json(), answer.headers["X-Total-Count"]) == (200, [], "0")
