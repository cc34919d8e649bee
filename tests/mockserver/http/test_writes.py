"""The writes over HTTP (one app, in-process): what a create, a replace, an update and a delete leave is what the
next request of every kind answers (the item by id, the lists under filters and sorts, the totals, the links,
the sub-collections); bodies checked against the schema with each JSON path named; 404, 409 and 415 problems;
tenants apart; a reset back to the start dataset."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient

from customers_spec import Spec
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from tests.conftest import EXAMPLE_SPEC
from tests.mockserver.conftest import AUTH, problem

PATCH = {**AUTH, "Content-Type": "application/merge-patch+json"}


@pytest.fixture
def writable(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """A fresh app on the example spec (its writes), so that no test sees another's writes."""
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    return create_app(Config(spec=EXAMPLE_SPEC, log_requests=False), dataset=dataset)


@pytest.fixture
def web(writable: Flask) -> FlaskClient:
    return writable.test_client()


def new_customer(dataset: Dataset, **changes: Any) -> dict[str, Any]:
    """A valid body: the first customer's fields without what the server owns, under a recognisable name."""
    body = {key: value for key, value in dataset.customers[0].items() if key not in ("_id", "number")}
    body["status"] = {"status": 1, "createdBy": "e2e"}
    return {**body, "name": "!Zebra Writes GmbH", **changes}


def total(web: FlaskClient, path: str = "/v2/customers", **query: Any) -> int:
    answer = web.get(path, query_string=query, headers=AUTH)
    assert answer.status_code == 200, answer.data
    return int(answer.headers["X-Total-Count"])


def test_a_created_customer_is_served_by_every_operation_at_once(web: FlaskClient, dataset: Dataset) -> None:
    before = total(web)
    answer = web.post("/v2/customers", json=new_customer(dataset), headers=AUTH)
    assert answer.status_code == 201, answer.data
    made = answer.get_json()
    assert answer.headers["Location"] == f"/v2/customers/{made['_id']}"
    assert made["status"]["createdAt"] == made["status"]["lastModifiedAt"]  # set by the server (x-assigned)
    by_id = web.get(answer.headers["Location"], headers=AUTH)
    assert by_id.status_code == 200 and by_id.data == answer.data  # byte for byte what the create answered
    assert total(web) == before + 1
    assert total(web, name="Zebra Writes") == 1  # a filter it meets
    assert total(web, name="Zebra Writes", number=made["number"] + 1) == 0  # one it does not
    ordered = web.get("/v2/customers", query_string={"sort": "name:1", "limit": 1}, headers=AUTH).get_json()
    assert ordered == [made]  # and in its place under a sort
    link = web.get("/v2/customers", query_string={"limit": 1}, headers=AUTH).headers["Link"]
    assert f"offset={before}>" in link  # the last page moved with the total
    assert total(web, f"/v2/customers/{made['_id']}/objects") == 0  # a parent now, with no sites


def test_numbers_are_assigned_in_the_company_and_a_used_one_is_a_409(
    web: FlaskClient, dataset: Dataset, example_app_spec: Spec
) -> None:
    company = dataset.customers[0]["companyId"]
    largest = max(each["number"] for each in dataset.customers if each["companyId"] == company)
    first = web.post("/v2/customers", json=new_customer(dataset), headers=AUTH).get_json()
    second = web.post("/v2/customers", json=new_customer(dataset), headers=AUTH).get_json()
    assert (first["number"], second["number"]) == (largest + 1, largest + 2)
    used = web.post("/v2/customers", json=new_customer(dataset, number=largest), headers=AUTH)
    body = problem(used, example_app_spec, 409)
    assert body["detail"].startswith(f"The number {largest} is already used within the companyId {company}")
    other_company = new_customer(dataset, number=largest, companyId="f" * 24)
    assert web.post("/v2/customers", json=other_company, headers=AUTH).status_code == 201  # unique within


def test_an_invalid_body_is_a_400_naming_each_json_path_as_validate_words_it(
    web: FlaskClient, dataset: Dataset, example_app_spec: Spec
) -> None:
    body = new_customer(dataset, name=5, address={"city": 1})
    del body["companyId"]
    answer = web.post("/v2/customers", json=body, headers=AUTH)
    errors = problem(answer, example_app_spec, 400)["errors"]
    found = {(error["name"], error["reason"]) for error in errors}
    assert ("$.name", "must be a string, got 5") in found
    assert ("$.address.city", "must be a string, got 1") in found
    assert ("$", "misses the required property 'companyId'") in found
    assert {error["in"] for error in errors} == {"body"}
    broken = web.post("/v2/customers", data=b"{", content_type="application/json", headers=AUTH)
    assert problem(broken, example_app_spec, 400)["errors"][0]["name"] == "$"
    assert total(web) == len(dataset.customers)  # nothing was written


def test_what_the_server_owns_is_ignored_in_a_body(web: FlaskClient, dataset: Dataset) -> None:
    status = {"status": 1, "createdBy": "e2e", "createdAt": "2000-01-01T00:00:00Z"}
    sent = new_customer(dataset, _id="a" * 24, status=status)
    made = web.post("/v2/customers", json=sent, headers=AUTH).get_json()
    assert made["_id"] != "a" * 24 and made["status"]["createdAt"] != "2000-01-01T00:00:00Z"


def test_a_merge_patch_changes_only_what_it_names(web: FlaskClient, dataset: Dataset) -> None:
    target = dataset.customers[3]
    answer = web.patch(
        f"/v2/customers/{target['_id']}", data=orjson.dumps({"name": "Patched", "contactPerson": None}), headers=PATCH
    )
    assert answer.status_code == 200, answer.data
    patched = answer.get_json()
    assert patched["name"] == "Patched" and "contactPerson" not in patched
    assert {key: value for key, value in patched.items() if key not in ("name", "contactPerson", "status")} == {
        key: value for key, value in target.items() if key not in ("name", "contactPerson", "status")
    }
    assert patched["status"]["createdAt"] == target["status"]["createdAt"]
    assert patched["status"]["lastModifiedAt"] != target["status"].get("lastModifiedAt")
    assert web.get(f"/v2/customers/{target['_id']}", headers=AUTH).get_json() == patched
    assert total(web, name="Patched") == 1
    assert web.patch(f"/v2/customers/{target['_id']}", json={"name": "x"}, headers=AUTH).status_code == 415


def test_a_replace_keeps_what_the_server_owns_and_an_unknown_id_is_a_404(
    web: FlaskClient, dataset: Dataset, example_app_spec: Spec
) -> None:
    target = dataset.customers[5]
    answer = web.put(f"/v2/customers/{target['_id']}", json=new_customer(dataset, name="Replaced"), headers=AUTH)
    assert answer.status_code == 200, answer.data
    replaced = answer.get_json()
    assert (replaced["_id"], replaced["number"]) == (target["_id"], target["number"])
    assert replaced["status"]["createdAt"] == target["status"]["createdAt"]
    assert web.get(f"/v2/customers/{target['_id']}", headers=AUTH).get_json()["name"] == "Replaced"
    unknown = web.put("/v2/customers/" + "f" * 24, json=new_customer(dataset), headers=AUTH)
    assert problem(unknown, example_app_spec, 404)["detail"].startswith("No record of customers")


def test_a_deleted_customer_is_gone_from_every_list_with_its_sites(web: FlaskClient, dataset: Dataset) -> None:
    owner = dataset.objects[0]["customerId"]
    sites = sum(1 for site in dataset.objects if site["customerId"] == owner)
    objects = total(web, "/v2/objects")
    assert web.delete(f"/v2/customers/{owner}", headers=AUTH).status_code == 204
    assert web.get(f"/v2/customers/{owner}", headers=AUTH).status_code == 404
    assert total(web) == len(dataset.customers) - 1
    assert total(web, ids=owner) == 0
    assert web.get(f"/v2/customers/{owner}/objects", headers=AUTH).status_code == 404
    assert total(web, "/v2/objects") == objects - sites
    assert total(web, "/v2/objects", customer=owner) == 0
    assert web.delete(f"/v2/customers/{owner}", headers=AUTH).status_code == 404


def test_each_tenant_has_its_own_dataset_and_a_reset_brings_back_the_start(web: FlaskClient, dataset: Dataset) -> None:
    start = len(dataset.customers)
    alice = {**AUTH, "X-Mock-Tenant": "alice"}
    assert web.post("/v2/customers", json=new_customer(dataset), headers=alice).status_code == 201
    assert web.get("/v2/customers", headers=alice).headers["X-Total-Count"] == str(start + 1)
    assert total(web) == start  # the shared tenant and every other start from the same seed
    assert web.get("/v2/customers", headers={**AUTH, "X-Mock-Tenant": "bob"}).headers["X-Total-Count"] == str(start)
    reset = web.post("/__mock/reset", headers={"X-Mock-Tenant": "alice"})
    assert reset.status_code == 200 and reset.get_json() == {"tenant": "alice", "forgotten": 1}
    assert web.get("/v2/customers", headers=alice).headers["X-Total-Count"] == str(start)
    again = web.post("/v2/customers", json=new_customer(dataset), headers=alice).get_json()
    assert web.get(f"/v2/customers/{again['_id']}", headers=alice).status_code == 200  # a new epoch, seen whole
    assert web.post("/__mock/reset?all=true").get_json()["tenant"] == "*"
    assert web.get("/v2/customers", headers=alice).headers["X-Total-Count"] == str(start)


def test_a_write_needs_the_key_as_every_operation_does(web: FlaskClient, dataset: Dataset) -> None:
    assert web.post("/v2/customers", json=new_customer(dataset)).status_code == 401
    assert total(web) == len(dataset.customers)


def test_a_browser_may_send_a_json_body_and_the_tenant_and_read_the_location(web: FlaskClient) -> None:
    preflight = web.options(
        "/v2/customers",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )
    allowed = preflight.headers["Access-Control-Allow-Headers"]
    assert "Content-Type" in allowed and "X-Mock-Tenant" in allowed
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    exposed = web.get("/v2/customers", headers={**AUTH, "Origin": "http://localhost:5173"})
    assert "Location" in exposed.headers["Access-Control-Expose-Headers"]


def test_a_malformed_id_in_a_write_s_path_is_a_400_naming_the_parameter(
    web: FlaskClient, dataset: Dataset, example_app_spec: Spec
) -> None:
    answer = web.delete("/v2/customers/nope", headers=AUTH)
    errors = problem(answer, example_app_spec, 400)["errors"]
    assert [(error["name"], error["in"]) for error in errors] == [("customerId", "path")]
    assert "Content-Type" not in web.delete(f"/v2/customers/{dataset.customers[1]['_id']}", headers=AUTH).headers
