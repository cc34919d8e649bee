"""The item by id over HTTP: the very bytes of the list's item, a 404 problem for an unknown id, a 400 naming the
parameter for a malformed one, and what every operation has (Prefer, the key)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from customers_spec import Api
from customers_spec.datafile import Dataset
from tests.mockserver.conftest import AUTH, problem


def test_every_customer_by_id_is_byte_for_byte_the_item_the_list_returns(
    example_client: FlaskClient, dataset: Dataset
) -> None:
    page = example_client.get("/v2/customers", query_string={"limit": 1000}, headers=AUTH)
    listed = page.get_json()
    assert len(listed) == len(dataset.customers)
    for number, customer in enumerate(listed):
        answer = example_client.get(f"/v2/customers/{customer['_id']}", headers=AUTH)
        assert answer.status_code == 200 and answer.mimetype == "application/json"
        assert answer.get_json() == customer
        start = 1 if number == 0 else page.data.index(b',{"_id":"' + customer["_id"].encode()) + 1
        assert page.data[start : start + len(answer.data)] == answer.data  # the list's bytes, not a copy's


def test_an_unknown_id_is_a_404_problem_naming_the_collection_never_another_record(
    example_client: FlaskClient, example_api: Api
) -> None:
    spec = example_api.lists[0]
    answer = example_client.get("/v2/customers/ffffffffffffffffffffffff", headers=AUTH)
    body = problem(answer, spec, 404)
    assert body["detail"] == "No record of customers has the _id ffffffffffffffffffffffff."


@pytest.mark.parametrize("malformed", ["nope", "FFFFFFFFFFFFFFFFFFFFFFFF", "0" * 25])
def test_a_malformed_id_is_a_400_naming_the_path_parameter(
    example_client: FlaskClient, example_api: Api, malformed: str
) -> None:
    spec = example_api.lists[0]
    body = problem(example_client.get(f"/v2/customers/{malformed}", headers=AUTH), spec, 400)
    assert body["detail"] == "1 path parameter is invalid."
    (error,) = body["errors"]
    assert (error["name"], error["in"]) == ("customerId", "path")
    assert "must match" in error["reason"]


def test_the_item_asks_for_the_key_and_honours_prefer(
    example_client: FlaskClient, dataset: Dataset, example_api: Api
) -> None:
    spec = example_api.lists[0]
    some = dataset.customers[0]["_id"]
    problem(example_client.get(f"/v2/customers/{some}"), spec, 401)
    forced = example_client.get(f"/v2/customers/{some}", headers={**AUTH, "Prefer": "code=404"})
    assert forced.status_code == 404 and forced.headers["Preference-Applied"] == "code=404"
    delayed = example_client.get(f"/v2/customers/{some}", headers={**AUTH, "Prefer": "delay=1"})
    assert delayed.status_code == 200 and delayed.headers["Preference-Applied"] == "delay=1"
