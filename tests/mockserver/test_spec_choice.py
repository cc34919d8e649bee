"""The spec is chosen at run time: the mock serves the next version of a spec with no code changed, and a spec
the tools cannot serve stops every command with the same one line naming the place in the document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from customers_spec import load_spec, resources
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from tests.mockserver.conftest import AUTH


def next_version(tmp_path: Path) -> Path:
    """The shipped spec plus a ``city`` filter declared in the spec alone, as a team would add it."""
    document = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    document["components"]["parameters"]["city"] = {
        "name": "city",
        "in": "query",
        "description": "Filter by city (exact match).",
        "schema": {"type": "string", "maxLength": 200},
        "x-filter": {"path": "address.city", "operator": "eq"},
    }
    document["paths"]["/v2/customers"]["get"]["parameters"].append({"$ref": "#/components/parameters/city"})
    path = tmp_path / "customers-next.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def next_app(tmp_path: Path, dataset: Dataset) -> Flask:
    return create_app(Config(spec=next_version(tmp_path), log_requests=False), dataset=dataset)


def test_a_filter_added_to_the_spec_alone_works_in_the_mock(next_app: Flask, dataset: Dataset) -> None:
    cities = [customer["address"]["city"] for customer in dataset.customers if customer.get("address")]
    city = max(set(cities), key=cities.count)
    response = next_app.test_client().get("/v2/customers", query_string={"city": city, "limit": 1000}, headers=AUTH)
    assert response.status_code == 200
    assert [item["address"]["city"] for item in response.get_json()] == [city] * cities.count(city)
    assert response.headers["X-Total-Count"] == str(cities.count(city))
    assert b"x-filter" in next_app.test_client().get("/openapi.yaml").data.split(b"name: city")[1][:400]


def test_the_shipped_app_still_refuses_the_new_parameter(app: Flask) -> None:
    response = app.test_client().get("/v2/customers", query_string={"city": "Berlin"}, headers=AUTH)
    assert response.status_code == 400


def test_the_kit_reads_the_new_filter_from_the_same_file(tmp_path: Path) -> None:
    from contract_tests.generation.sample import Sample
    from contract_tests.generation.strategies import filter_strategies

    spec = load_spec(next_version(tmp_path))
    assert spec.filters["city"].clauses[0].path == "address.city"
    assert "city" in filter_strategies(spec, sample=Sample())


def broken_spec(tmp_path: Path) -> Path:
    document = yaml.safe_load(resources.spec_path().read_text(encoding="utf-8"))
    document["components"]["parameters"]["status"]["x-filtre"] = {"path": "status.status", "operator": "in"}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_create_app_refuses_a_spec_it_cannot_serve(tmp_path: Path, dataset: Dataset) -> None:
    from customers_spec import SpecError

    with pytest.raises(SpecError, match=r"^/components/parameters/status/x-filtre: unknown extension"):
        create_app(Config(spec=broken_spec(tmp_path), log_requests=False), dataset=dataset)


@pytest.mark.slow
def test_every_command_refuses_a_bad_spec_with_the_same_one_line(tmp_path: Path) -> None:
    spec = str(broken_spec(tmp_path))
    payload = tmp_path / "customer.json"
    payload.write_text("{}", encoding="utf-8")
    kit = [sys.executable, "-c", "from contract_tests.cli import main; main()"]
    commands = [
        ("mockserver: error: ", [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--spec", spec]),
        ("", [sys.executable, "-m", "mockserver", "validate", "--spec", spec, str(payload)]),  # its lines are bare
        ("COULD NOT TEST: ", [*kit, "--spec", spec, "--base-url", "http://127.0.0.1:9", "--api-key", "k"]),
    ]
    reasons = set()
    for prefix, command in commands:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert result.returncode == 2, result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(prefix) and "Traceback" not in line
        reasons.add(line.removeprefix(prefix))
    assert len(reasons) == 1
    assert reasons.pop().startswith("/components/parameters/status/x-filtre: unknown extension x-filtre")


def test_the_kit_checks_the_new_filter_against_the_mock_serving_it(tmp_path: Path, dataset: Dataset) -> None:
    from contract_tests.judging.selection import select_checks
    from contract_tests.running.profiles import CI_PROFILE
    from contract_tests.running.records import Options
    from contract_tests.running.runner import run
    from contract_tests.running.setup import loaded_context
    from contract_tests.sending.transport import WsgiTransport

    path = next_version(tmp_path)
    spec = load_spec(path)
    app = create_app(Config(spec=path, log_requests=False, api_keys=frozenset({"k"})), dataset=dataset)
    sent: list[str] = []

    def recording(environ: dict, start_response: Any) -> Any:
        sent.append(environ.get("QUERY_STRING", ""))
        return app(environ, start_response)

    transport = WsgiTransport(recording, "k", header=spec.api_key_header)
    ctx = loaded_context(spec, transport, rejects_invalid_keys=True, related={"objects": dataset.objects})
    options = Options(max_examples=60, profile=CI_PROFILE, shrink=False)
    outcome = run(ctx, select_checks(["filters_hold", "filters_complete"]), options)
    assert outcome.exit_code == 0, [str(failure) for failure in outcome.failures]
    assert outcome.passed["filters_hold"] > 0
    assert any(query.startswith("city=") or "&city=" in query for query in sent)


def with_new_list_operation(tmp_path: Path) -> Path:
    """The example spec plus a list a team adds in the spec alone: its sites by zip prefix, a filter no operation
    had, sorted by zip."""
    from tests.conftest import EXAMPLE_SPEC

    document = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    operation = {
        "operationId": "listSitesByZip",
        "parameters": [
            {"$ref": "#/components/parameters/limit"},
            {"$ref": "#/components/parameters/offset"},
            {
                "name": "zipPrefix",
                "in": "query",
                "schema": {"type": "string", "maxLength": 10},
                "x-filter": {"path": "address.zip", "operator": "startsWith"},
            },
        ],
        "responses": {
            "200": {
                "description": "Sites",
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/CustomerObject"}}
                    }
                },
            }
        },
    }
    document["paths"]["/v2/sites-by-zip"] = {"get": operation}  # no x-pagination, no x-sort: the REST convention
    path = tmp_path / "customers-and-more.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_a_list_operation_added_to_the_spec_alone_is_served_with_its_new_filter(
    tmp_path: Path, dataset: Dataset
) -> None:
    client = create_app(
        Config(spec=with_new_list_operation(tmp_path), log_requests=False), dataset=dataset
    ).test_client()
    prefix = dataset.objects[0]["address"]["zip"][:2]
    response = client.get("/v2/sites-by-zip", query_string={"zipPrefix": prefix, "limit": 1000}, headers=AUTH)
    expected = sorted(site["_id"] for site in dataset.objects if site["address"]["zip"].startswith(prefix))
    assert response.status_code == 200
    assert [site["_id"] for site in response.get_json()] == expected  # no x-sort: by the id
    assert response.headers["X-Total-Count"] == str(len(expected))
    paged = client.get("/v2/sites-by-zip", query_string={"zipPrefix": prefix, "limit": 1, "offset": 1}, headers=AUTH)
    assert [site["_id"] for site in paged.get_json()] == expected[1:2]
    refused = client.get("/v2/sites-by-zip", query_string={"city": "x"}, headers=AUTH)
    assert refused.status_code == 400 and refused.get_json()["errors"][0]["name"] == "city"
    assert "GET /v2/sites-by-zip" in client.get("/nowhere").get_json()["detail"]


def test_a_team_s_spec_with_none_of_our_words_is_served_by_the_rest_convention() -> None:
    """No x- extension, no Customer: the list pages by limit/offset, the item is a 404 for an unknown id, the
    POST answers a body valid against its schema; the data file holds no tags, so the collection is empty."""
    plain = Path(__file__).parent / "plain_rest.yaml"
    client = create_app(Config(spec=plain, log_requests=False)).test_client()
    listed = client.get("/tags", query_string={"limit": 5})
    assert (listed.status_code, listed.get_json(), listed.headers["X-Total-Count"]) == (200, [], "0")
    assert client.get("/tags", query_string={"limit": 500}).status_code == 400  # the schema's maximum
    assert client.get("/tags/anything").status_code == 404
    made = client.post("/tags")
    assert made.status_code == 201 and set(made.get_json()) == {"id", "label"}
