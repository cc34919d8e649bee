"""Operations the tools give no meaning to, over HTTP: served as Prism serves them, from the spec's examples or a
body generated from the schema, the same for a seed, valid against the schema; ``Prefer`` on them too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from customers_spec import load_api
from customers_spec.datafile import Dataset
from customers_spec.schemas import component
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.http.examples import problems
from tests.conftest import EXAMPLE_SPEC
from tests.mockserver.conftest import AUTH

CUSTOMER = {"$ref": "#/components/schemas/Customer"}


def _json(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"description": "an answer", "content": {"application/json": {"schema": schema, **extra}}}


def with_other_operations(tmp_path: Path) -> Path:
    document = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    for item in document["paths"].values():  # the example's own writes: these tests declare their own
        for method in ("post", "put", "patch", "delete"):
            item.pop(method, None)
    document["paths"]["/v2/customers"]["post"] = {
        "operationId": "createCustomer",
        "responses": {"201": _json(CUSTOMER), "400": {"$ref": "#/components/responses/BadRequest"}},
    }
    document["paths"]["/v2/customers/{customerId}"]["delete"] = {
        "parameters": [{"$ref": "#/components/parameters/customerId"}],
        "responses": {"204": {"description": "Deleted"}},
    }
    report = {
        "type": "object",
        "required": ["id", "count", "at"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
            "count": {"type": "integer", "minimum": 0, "maximum": 1000},
            "at": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "uniqueItems": True},
        },
    }
    document["paths"]["/v2/report"] = {"get": {"responses": {"200": _json(report)}}}
    document["paths"]["/v2/health"] = {
        "get": {
            "security": [],
            "responses": {
                "200": _json({"type": "object"}, examples={"up": {"value": {"status": "up"}}}),
                "503": _json({"type": "object"}, example={"status": "down"}),
            },
        }
    }
    path = tmp_path / "more.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def spec_path(tmp_path: Path) -> Path:
    return with_other_operations(tmp_path)


def _client(spec_path: Path, dataset: Dataset, seed: int | None = None) -> FlaskClient:
    config = Config(spec=spec_path, log_requests=False, count=None if seed is None else 0, seed=seed)
    return create_app(config, dataset=dataset).test_client()


def test_a_body_is_generated_from_the_schema_valid_and_the_same_for_a_seed(spec_path: Path, dataset: Dataset) -> None:
    created = _client(spec_path, dataset).post("/v2/customers", headers=AUTH)
    assert created.status_code == 201 and created.mimetype == "application/json"
    component(load_api(spec_path).lists[0], "Customer").validate(created.get_json())
    assert created.get_json()["name"] == "ABC Cleaning Services GmbH"  # the schema's examples, where it has them
    report = _client(spec_path, dataset).get("/v2/report", headers=AUTH)
    schema = load_api(spec_path).document["paths"]["/v2/report"]["get"]["responses"]["200"]["content"]
    assert problems({}, schema["application/json"]["schema"], report.get_json()) == []
    assert _client(spec_path, dataset).get("/v2/report", headers=AUTH).data == report.data
    assert _client(spec_path, dataset, seed=99).get("/v2/report", headers=AUTH).data != report.data


def test_the_spec_s_examples_are_served_and_prefer_picks_a_documented_answer(spec_path: Path, dataset: Dataset) -> None:
    client = _client(spec_path, dataset)
    assert client.get("/v2/health").get_json() == {"status": "up"}  # security: [] asks for no key
    down = client.get("/v2/health", headers={"Prefer": "code=503"})
    assert (down.status_code, down.get_json(), down.headers["Preference-Applied"]) == (
        503,
        {"status": "down"},
        "code=503",
    )
    forced = client.post("/v2/customers", headers={**AUTH, "Prefer": "code=400"})
    assert forced.status_code == 400 and forced.mimetype == "application/problem+json"
    assert client.get("/v2/health", headers={"Prefer": "delay=1"}).headers["Preference-Applied"] == "delay=1"


def test_another_method_on_a_served_path_is_served_and_asks_for_the_key(spec_path: Path, dataset: Dataset) -> None:
    client = _client(spec_path, dataset)
    some = dataset.customers[0]["_id"]
    deleted = client.delete(f"/v2/customers/{some}", headers=AUTH)
    assert deleted.status_code == 204 and deleted.data == b""
    assert client.delete(f"/v2/customers/{some}").status_code == 401
    assert client.get(f"/v2/customers/{some}", headers=AUTH).status_code == 404  # a DELETE on an item's path removes it
    preflight = client.options("/v2/customers", headers={"Origin": "http://x", "Access-Control-Request-Method": "POST"})
    assert preflight.headers["Access-Control-Allow-Methods"] == "DELETE, GET, POST"
    assert "POST /v2/customers" in client.get("/nowhere").get_json()["detail"]
