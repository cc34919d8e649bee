"""The drawn customers and sites: valid against the spec, related correctly, and varied enough for filters."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.schemas import component
from customers_spec.values import get_path, parse_datetime
from mockserver.data.customers import USER_COUNT
from tests.mockserver.data.check_digits import leitweg_check_ok, vat_check_ok

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
UTC_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z")


def _schema(spec: Spec, name: str) -> dict[str, Any]:
    return spec.document["components"]["schemas"][name]


def _property_paths(spec: Spec, name: str, prefix: str = "") -> dict[str, bool]:
    """Every property path of a component (nested components included), mapped to whether it is required."""
    schema = _schema(spec, name)
    paths: dict[str, bool] = {}
    for key, declared in schema["properties"].items():
        paths[prefix + key] = key in schema.get("required", [])
        target = declared.get("$ref", "").rpartition("/")[2]
        if target and "properties" in _schema(spec, target):
            paths.update(_property_paths(spec, target, f"{prefix}{key}."))
    return paths


def _states(records: list[dict[str, Any]], path: str) -> set[str]:
    """Which of 'value', 'null', 'absent' the records show at ``path``."""
    states = set()
    for record in records:
        *parents, leaf = path.split(".")
        node = get_path(record, ".".join(parents)) if parents else record
        if not isinstance(node, dict) or leaf not in node:
            states.add("absent")
        else:
            states.add("null" if node[leaf] is None else "value")
    return states


def test_every_record_validates_against_its_schema(spec: Spec, data: Dataset) -> None:
    customers, objects = component(spec, "Customer"), component(spec, "CustomerObject")
    errors = [str(error) for record in data.customers for error in customers.iter_errors(record)]
    errors += [str(error) for record in data.objects for error in objects.iter_errors(record)]
    assert errors == []
    assert data.objects


def test_every_field_has_values_and_optional_ones_are_also_null_and_absent(spec: Spec, data: Dataset) -> None:
    for path, required in _property_paths(spec, "Customer").items():
        expected = {"value"} if required else {"value", "null", "absent"}
        assert _states(data.customers, path) >= expected, path
    for path, required in _property_paths(spec, "CustomerObject").items():
        assert _states(data.objects, path) >= ({"value"} if required else {"value", "null", "absent"}), path


def test_ids_are_unique_lowercase_hex_and_numbers_unique(data: Dataset) -> None:
    ids = [record["_id"] for record in data.customers + data.objects]
    assert all(OBJECT_ID.fullmatch(value) for value in ids)
    assert len(set(ids)) == len(ids)
    numbers = [customer["number"] for customer in data.customers]
    assert len(set(numbers)) == len(numbers)


def test_timestamps_are_utc_and_modification_never_precedes_creation(data: Dataset) -> None:
    for customer in data.customers:
        status = customer["status"]
        assert UTC_TIMESTAMP.fullmatch(status["createdAt"])
        if status.get("lastModifiedAt") is not None:
            assert UTC_TIMESTAMP.fullmatch(status["lastModifiedAt"])
            assert parse_datetime(status["createdAt"]) <= parse_datetime(status["lastModifiedAt"])
        for key in ("smsSendDate", "secondSmsSendDate"):
            value = customer["contact"].get(key)
            assert value is None or UTC_TIMESTAMP.fullmatch(value)


def test_references_name_other_customers_of_the_dataset(data: Dataset) -> None:
    ids = {customer["_id"] for customer in data.customers}
    recipients = 0
    for customer in data.customers:
        linked = [customer.get("invoiceRecipientId"), *customer["invoiceCCRecipientIds"]]
        for target in filter(None, linked):
            recipients += 1
            assert target in ids and target != customer["_id"]
    assert recipients > len(data.customers) // 10
    assert {site["customerId"] for site in data.objects} <= ids


def test_sites_per_customer_range_from_none_to_five(data: Dataset) -> None:
    per_customer = Counter(site["customerId"] for site in data.objects)
    counts = Counter(per_customer[customer["_id"]] for customer in data.customers)
    assert set(counts) == set(range(6))


def test_object_managers_come_from_a_small_pool_and_each_manages_sites_of_several_customers(data: Dataset) -> None:
    customers_by_manager: dict[str, set[str]] = {}
    for site in data.objects:
        if site.get("objectManagerId") is not None:
            customers_by_manager.setdefault(site["objectManagerId"], set()).add(site["customerId"])
    assert 10 <= len(customers_by_manager) <= USER_COUNT
    assert all(len(customers) >= 3 for customers in customers_by_manager.values())


def test_statuses_companies_and_contracts_are_varied_but_few(data: Dataset) -> None:
    statuses = Counter(customer["status"]["status"] for customer in data.customers)
    assert set(statuses) == {0, 1, 2, 3, 4}
    assert 2 <= len({customer["companyId"] for customer in data.customers}) <= 10
    contracts = [customer.get("contract") for customer in data.customers]
    assert {} in contracts and any(contract for contract in contracts)


def test_identifiers_follow_their_german_formats(data: Dataset) -> None:
    formats = {
        "vatNumber": r"DE\d{9}",
        "buyerReference": r"\d{2,12}-\d{5,10}-\d{2}",
        "debitorNumber": r"DEB-\d{5,}",
        "orderReferenceId": r"SUP-\d{5}",
    }
    for customer in data.customers:
        for key, pattern in formats.items():
            value = customer.get(key)
            assert value is None or re.fullmatch(pattern, value), (key, value)
        assert re.fullmatch(r"\d{5}", customer["address"]["zip"])
        assert customer["address"]["country"] == "Deutschland"


def test_vat_numbers_and_leitweg_ids_carry_valid_check_digits(generated: Dataset) -> None:
    references = [customer.get("buyerReference") for customer in generated.customers]
    vat_numbers = [customer.get("vatNumber") for customer in generated.customers]
    assert all(leitweg_check_ok(value) for value in filter(None, references))
    assert all(vat_check_ok(value) for value in filter(None, vat_numbers))


def test_mail_and_web_domains_are_transliterated_ascii(data: Dataset) -> None:
    for customer in data.customers:
        for key in ("email", "website"):
            value = customer["contact"].get(key)
            assert value is None or value.isascii(), value


def test_names_and_cities_share_fragments_so_substring_filters_match_several(data: Dataset) -> None:
    names = [customer["name"] for customer in data.customers]
    assert sum("reinigung" in name.casefold() for name in names) > len(names) // 4
    assert any(name.isupper() for name in names) and any(name.islower() for name in names)
    assert any(char in name for name in names for char in "äöüß")
    assert sum("ß" in customer["address"]["street"] for customer in data.customers) >= 10
    cities = Counter(customer["address"]["city"] for customer in data.customers)
    assert cities["Berlin"] >= 5 and cities.most_common(1)[0][1] >= 20
