"""Payload validation for ``mockserver validate``: every problem, each with its record index and JSON path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from customers_spec import Spec
from mockserver.data.generate import generate_dataset
from mockserver.data.payloads import validate_payload


@pytest.fixture(scope="module")
def customers() -> list[dict[str, Any]]:
    return generate_dataset(5, 9).customers


def _lines(value: Any, spec: Spec) -> list[str]:
    return [str(problem) for problem in validate_payload(value, spec)]


def test_valid_payloads_have_no_problems(spec: Spec, customers: list[dict[str, Any]]) -> None:
    assert validate_payload(customers[0], spec) == []
    assert validate_payload(customers, spec) == []
    assert validate_payload([], spec) == []


def test_one_customer_is_record_0_with_paths_from_the_root(spec: Spec, customers: list[dict[str, Any]]) -> None:
    customer = copy.deepcopy(customers[0])
    customer["contact"]["email"] = "x"
    assert _lines(customer, spec) == ["record 0 at $.contact.email: must be an email address, got 'x'"]


def test_every_problem_of_every_record_is_reported(spec: Spec, customers: list[dict[str, Any]]) -> None:
    payload = copy.deepcopy(customers)
    payload[1]["hideRecipientOnDocuments"] = "no"
    payload[1]["address"]["zip"] = 12345
    payload[3]["contact"]["email"] = "x"
    assert _lines(payload, spec) == [
        "record 1 at $[1].address.zip: must be a string, got 12345",
        "record 1 at $[1].hideRecipientOnDocuments: must be true or false, got 'no'",
        "record 3 at $[3].contact.email: must be an email address, got 'x'",
    ]


def test_records_repeating_an_id_are_reported(spec: Spec, customers: list[dict[str, Any]]) -> None:
    payload = [customers[0], customers[0]]
    lines = _lines(payload, spec)
    assert [line.split(":")[0] for line in lines] == ["record 1 at $[1]._id", "record 1 at $[1].number"]


def test_a_data_file_is_checked_with_its_sites(spec: Spec) -> None:
    dataset = generate_dataset(5, 9)
    document = {"customers": dataset.customers, "objects": copy.deepcopy(dataset.objects)}
    assert validate_payload(document, spec) == []
    document["objects"][0]["customerId"] = "f" * 24
    assert _lines(document, spec) == [f"object 0 at $.objects[0].customerId: '{'f' * 24}' names no customer"]


def test_something_else_than_customers_is_one_problem(spec: Spec) -> None:
    assert _lines("text", spec) == ["$: expected a customer (object) or customers (array), not a string"]
    assert _lines(None, spec) == ["$: expected a customer (object) or customers (array), not null"]
