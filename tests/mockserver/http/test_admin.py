"""``POST /__mock/reset``: the tenant of the header, or every tenant; nothing else at that path; a spec without
writes has no reset (nothing to forget)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from tests.conftest import EXAMPLE_SPEC
from tests.mockserver.conftest import AUTH


def test_a_reset_forgets_the_tenant_of_the_header_only(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    web = create_app(Config(spec=EXAMPLE_SPEC, log_requests=False), dataset=dataset).test_client()
    body = {key: value for key, value in dataset.customers[0].items() if key not in ("_id", "number")}
    for name in ("a", "b"):
        assert web.post("/v2/customers", json=body, headers={**AUTH, "X-Mock-Tenant": name}).status_code == 201
    assert web.post("/__mock/reset", headers={"X-Mock-Tenant": "a"}).get_json() == {"tenant": "a", "forgotten": 1}
    assert web.get("/v2/customers", headers={**AUTH, "X-Mock-Tenant": "b"}).headers["X-Total-Count"] == str(
        len(dataset.customers) + 1
    )
    assert web.post("/__mock/reset?all=1").get_json() == {"tenant": "*", "forgotten": 1}
    assert web.get("/__mock/reset").status_code == 405


def test_a_spec_without_writes_has_no_reset(client: FlaskClient) -> None:
    assert client.post("/__mock/reset").status_code == 404
