"""Reading data files: both file forms, a one-line DataError naming file, record and JSON path for each problem."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset, default_dataset, load_dataset
from customers_spec.errors import DataError
from mockserver.data.generate import generate_dataset


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate_dataset(30, 3)


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _file_form(dataset: Dataset) -> dict[str, Any]:
    return {"customers": copy.deepcopy(dataset.customers), "objects": copy.deepcopy(dataset.objects)}


def _load_error(path: Path, spec: Spec) -> str:
    with pytest.raises(DataError) as caught:
        load_dataset(path, spec)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message


def test_the_default_dataset_loads_with_its_sites(spec: Spec) -> None:
    dataset = default_dataset(spec)
    assert len(dataset.customers) == 1000
    assert len(dataset.objects) > 1000


def test_a_plain_array_holds_customers_without_sites(spec: Spec, small: Dataset, tmp_path: Path) -> None:
    path = _write(tmp_path / "array.json", small.customers)
    assert load_dataset(path, spec) == Dataset(customers=small.customers, objects=[])


def test_a_schema_violation_names_file_record_path_and_rule(spec: Spec, small: Dataset, tmp_path: Path) -> None:
    customers = copy.deepcopy(small.customers)
    customers[12]["contact"]["email"] = "x"
    message = _load_error(_write(tmp_path / "data.json", customers), spec)
    assert message == f"{tmp_path / 'data.json'}: customer 12 at $[12].contact.email: must be an email address, got 'x'"


@pytest.mark.parametrize(
    ("change", "where", "rule"),
    [
        (
            lambda c: c["status"].update(createdAt="2024-13-01T00:00:00Z"),
            "$.customers[4].status.createdAt",
            "must be an RFC 3339 date-time (2024-01-31T12:00:00Z), got '2024-13-01T00:00:00Z'",
        ),
        (
            lambda c: c["contact"].update(website="www.example.de"),
            "$.customers[4].contact.website",
            "must be an absolute URI, got 'www.example.de'",
        ),
        (
            lambda c: c["contact"].update(email="info@"),
            "$.customers[4].contact.email",
            "must be an email address, got 'info@'",  # jsonschema_rs's verdict (stricter), in the same words
        ),
        (lambda c: c.update(number=0), "$.customers[4].number", "must be at least 1, got 0"),
        (lambda c: c.update(internal=True), "$.customers[4]", "has properties the schema does not define: 'internal'"),
        (lambda c: c.pop("name"), "$.customers[4]", "misses the required property 'name'"),
        (lambda c: c.update(_id="ABC"), "$.customers[4]._id", "must match the pattern ^[0-9a-f]{24}$, got 'ABC'"),
    ],
)
def test_each_rule_is_enforced_in_the_file_form(
    spec: Spec, small: Dataset, tmp_path: Path, change: Any, where: str, rule: str
) -> None:
    document = _file_form(small)
    change(document["customers"][4])
    message = _load_error(_write(tmp_path / "data.json", document), spec)
    assert message.endswith(f": customer 4 at {where}: {rule}")  # in words, not jsonschema's Python


def test_an_invalid_site_is_named_as_an_object(spec: Spec, small: Dataset, tmp_path: Path) -> None:
    document = _file_form(small)
    document["objects"][2]["address"].pop("zip")
    message = _load_error(_write(tmp_path / "data.json", document), spec)
    assert ": object 2 at $.objects[2].address: misses the required property 'zip'" in message


@pytest.mark.parametrize(("key", "index"), [("_id", 0), ("number", 0)])
def test_repeated_ids_and_numbers_are_rejected(
    spec: Spec, small: Dataset, tmp_path: Path, key: str, index: int
) -> None:
    document = _file_form(small)
    document["customers"][7][key] = document["customers"][index][key]
    message = _load_error(_write(tmp_path / "data.json", document), spec)
    assert f": customer 7 at $.customers[7].{key}: " in message
    assert f"customer {index} has it too" in message


def test_repeated_site_ids_are_rejected(spec: Spec, small: Dataset, tmp_path: Path) -> None:
    document = _file_form(small)
    document["objects"][3]["_id"] = document["objects"][1]["_id"]
    assert ": object 3 at $.objects[3]._id: " in _load_error(_write(tmp_path / "data.json", document), spec)


def test_a_site_of_an_unknown_customer_is_rejected(spec: Spec, small: Dataset, tmp_path: Path) -> None:
    document = _file_form(small)
    document["objects"][5]["customerId"] = "0" * 24
    message = _load_error(_write(tmp_path / "data.json", document), spec)
    assert message.endswith(f"object 5 at $.objects[5].customerId: '{'0' * 24}' names no customer")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not JSON"),
        (b"", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"42", "expected a JSON array of customers"),
        (b'{"customers": [], "extra": 1}', "unknown top-level key(s) extra"),
        (b'{"customers": {}}', "$.customers must be an array"),
        (b'{"customers": [], "objects": 3}', "$.objects must be an array"),
    ],
)
def test_unreadable_documents_are_one_line_data_errors(
    spec: Spec, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(content)
    assert expected in _load_error(path, spec)


def test_a_missing_file_is_a_data_error(spec: Spec, tmp_path: Path) -> None:
    assert "cannot read" in _load_error(tmp_path / "absent.json", spec)


def test_records_of_a_schema_the_spec_does_not_have_are_not_checked() -> None:
    from customers_spec import from_dict
    from customers_spec.datafile import records_valid

    tag = {"type": "object", "properties": {"id": {"type": "string"}}}
    ok = {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}},
    }
    paged = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 9}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 9}},
    ]
    document = {
        "openapi": "3.1.0",
        "paths": {"/tags": {"get": {"parameters": paged, "responses": {"200": ok}}}},
        "components": {"schemas": {"Tag": tag}},
    }
    spec = from_dict(document)
    assert records_valid([{"not": "a customer"}], "Customer", spec)  # no Customer here: no operation serves one
    assert not records_valid([{"id": 7}], "Tag", spec)
