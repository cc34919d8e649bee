"""The store on the spec's tricky points, with every expected answer worked out by hand from the spec."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset, default_dataset
from customers_spec.terms import Condition, filter_condition, general_condition
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.store import CollectionStore
from mockserver.startup.storing import store_of_dataset

A, B, C, D = (f"aaaaaaaaaaaaaaaaaaaaaaa{digit}" for digit in "1230")  # _id order: D, A, B, C
SITE_1, SITE_2, SITE_3 = (f"bbbbbbbbbbbbbbbbbbbbbbb{digit}" for digit in "123")
MANAGER_1, MANAGER_2 = "ccccccccccccccccccccccc1", "ccccccccccccccccccccccc2"


def customer(_id: str, number: int, name: str, created: str, city: str, **extra: Any) -> dict[str, Any]:
    status = {"status": extra.pop("status", 1), "createdAt": created, "createdBy": "u1"}
    address = {"street": extra.pop("street", "Weg 1"), "zip": "10115", "city": city, "country": "DE"}
    if "co" in extra:
        address["co"] = extra.pop("co")
    record = {"_id": _id, "number": number, "companyId": MANAGER_1, "status": status, "name": name}
    return record | {"address": address, "contact": {}, "invoiceCCRecipientIds": []} | extra


CUSTOMERS = [
    customer(A, 3, "Straße Müller GmbH", "2024-01-15T12:00:00+02:00", "Berlin", street="Hauptstraße 1",
             contactPerson="Zoe", status=1, hideRecipientOnDocuments=True),
    customer(B, 1, "Zebra (a.b)* [x] \\d+ AG", "2024-01-15T10:00:00Z", "Köln", co="c/o Ärger", status=2,
             hideRecipientOnDocuments=False),
    customer(C, 12, "alpha 7", "2023-06-01T00:00:00Z", "München", contactPerson=None, status=2,
             hideRecipientOnDocuments=False),
    customer(D, 7, "ÄRGER & SS", "2025-01-01T00:00:00Z", "Zürich", contactPerson="adam", status=3,
             hideRecipientOnDocuments=False),
]  # fmt: skip
OBJECTS: list[dict[str, Any]] = [
    {"_id": SITE_1, "customerId": A, "name": "Lager", "objectManagerId": MANAGER_1},
    {"_id": SITE_2, "customerId": B, "name": "Büro", "objectManagerId": None},
    {"_id": SITE_3, "customerId": A, "name": "Halle", "objectManagerId": MANAGER_2},
]


@pytest.fixture(scope="module")
def store(spec: Spec) -> CollectionStore:
    return store_of_dataset(spec, Dataset(CUSTOMERS, OBJECTS))


def query(spec: Spec, store: CollectionStore, *conditions: Condition, sort: str | None = None, **paging: int) -> Page:
    keys = spec.sort.effective(sort)
    return store.query(Criteria(conditions, keys, paging.get("limit", 100), paging.get("offset", 0)))


def ids(page: Page) -> list[str]:
    return [item["_id"] for item in orjson.loads(page.body)]


def filtered(spec: Spec, parameter: str, raw: str | list[str]) -> Condition:
    return filter_condition(spec.filters[parameter], raw)


def general(spec: Spec, field: str, operator: str, value: str) -> Condition:
    return general_condition(spec, "generalField", field, operator, value)


def test_missing_values_sort_first_ascending_and_last_descending_ties_by_id(spec: Spec, store: CollectionStore) -> None:
    # contactPerson: B absent, C null; "Zoe" < "adam" by code point
    assert ids(query(spec, store, sort="contactPerson:1")) == [B, C, A, D]
    assert ids(query(spec, store, sort="contactPerson:-1")) == [D, A, B, C]
    assert ids(query(spec, store, sort="contactPerson:-1,number:-1")) == [D, A, C, B]


def test_strings_order_by_code_point_and_dates_by_instant(spec: Spec, store: CollectionStore) -> None:
    assert ids(query(spec, store, sort="name:1")) == [A, B, C, D]  # S < Z < a < Ä
    assert ids(query(spec, store, general(spec, "name", "gt", "Zebra"))) == [B, D, C]  # in number order
    # A's 12:00+02:00 is B's 10:00Z: a tie, broken by _id
    assert ids(query(spec, store, sort="status.createdAt:1")) == [C, A, B, D]
    assert ids(query(spec, store, sort="status.createdAt:-1")) == [D, A, B, C]
    assert ids(query(spec, store, general(spec, "status.createdAt", "eq", "2024-01-15T10:00:00Z"))) == [B, A]
    assert ids(query(spec, store, general(spec, "status.createdAt", "lt", "2024-01-15"))) == [C]


def test_text_matching_compares_case_folded_strings(spec: Spec, store: CollectionStore) -> None:
    assert ids(query(spec, store, filtered(spec, "nameAndAddress", "STRASSE"))) == [A]  # ß folds to ss
    assert ids(query(spec, store, filtered(spec, "name", "ss"))) == [A, D]
    assert ids(query(spec, store, filtered(spec, "name", "MÜLLER"))) == [A]
    assert ids(query(spec, store, filtered(spec, "nameAndAddress", "ärger"))) == [B, D]  # B by its c/o line
    assert ids(query(spec, store, general(spec, "name", "startsWith", "STRA"))) == [A]
    assert ids(query(spec, store, general(spec, "name", "endsWith", "& ß"))) == [D]
    assert ids(query(spec, store, general(spec, "name", "eq", "straße müller gmbh"))) == []  # eq is exact


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("(a.b)*", [B]), ("a.b", [B]), ("[x]", [B]), ("\\d+", [B]), (".", [B]), ("a*b", []), (".*", []), ("^z", [])],
)
def test_regex_metacharacters_are_literal(spec: Spec, store: CollectionStore, raw: str, expected: list[str]) -> None:
    assert ids(query(spec, store, filtered(spec, "name", raw))) == expected
    assert ids(query(spec, store, filtered(spec, "nameAndAddress", raw))) == expected


def test_a_name_of_digits_also_matches_the_number(spec: Spec, store: CollectionStore) -> None:
    assert ids(query(spec, store, filtered(spec, "name", "7"))) == [D, C]  # D by number, C by name
    assert ids(query(spec, store, filtered(spec, "name", "12"))) == [C]
    assert ids(query(spec, store, filtered(spec, "name", "1"))) == [B]


def test_comma_lists_and_repeated_values_mean_any_of_them(spec: Spec, store: CollectionStore) -> None:
    assert ids(query(spec, store, filtered(spec, "status", "1,3"))) == [A, D]
    assert ids(query(spec, store, filtered(spec, "ids", f"{A},{C}"))) == [A, C]
    assert ids(query(spec, store, filtered(spec, "ids", [C, A, C]))) == [A, C]
    assert ids(query(spec, store, general(spec, "number", "in", "1,7.0"))) == [B, D]
    assert ids(query(spec, store, general(spec, "number", "gt", "6.5"))) == [D, C]


def test_relations_go_through_the_objects(spec: Spec, store: CollectionStore) -> None:
    assert ids(query(spec, store, filtered(spec, "customerHasAssignedObjectManager", MANAGER_1))) == [A]
    assert ids(query(spec, store, filtered(spec, "customerHasAssignedObjectManager", [MANAGER_1, MANAGER_2]))) == [A]
    assert ids(query(spec, store, filtered(spec, "objectIds", f"{SITE_2},{SITE_3}"))) == [B, A]
    assert ids(query(spec, store, filtered(spec, "objectIds", "f" * 24))) == []


def test_only_ne_nin_and_exists_false_accept_missing_values(spec: Spec, store: CollectionStore) -> None:
    assert ids(query(spec, store, general(spec, "contactPerson", "ne", "Zoe"))) == [B, D, C]
    assert ids(query(spec, store, general(spec, "contactPerson", "nin", "Zoe,adam"))) == [B, C]
    assert ids(query(spec, store, general(spec, "contactPerson", "exists", "false"))) == [B, C]
    assert ids(query(spec, store, general(spec, "contactPerson", "exists", "true"))) == [A, D]
    assert ids(query(spec, store, general(spec, "contactPerson", "lt", "zzz"))) == [A, D]
    assert ids(query(spec, store, general(spec, "address.co", "contains", ""))) == [B]


def test_filters_combine_with_and(spec: Spec, store: CollectionStore) -> None:
    both = (filtered(spec, "status", "2"), general(spec, "hideRecipientOnDocuments", "eq", "false"))
    assert ids(query(spec, store, *both, filtered(spec, "name", "a"))) == [B, C]
    assert ids(query(spec, store, *both, filtered(spec, "name", "7"))) == [C]


def test_empty_results_and_offsets_past_the_end_are_empty_pages(spec: Spec, store: CollectionStore) -> None:
    nothing = query(spec, store, filtered(spec, "name", "no such customer"))
    assert (nothing.total, nothing.count, nothing.body) == (0, 0, b"[]")
    past = query(spec, store, sort="name:-1", offset=4)
    assert (past.total, past.count, past.body) == (4, 0, b"[]")
    last = query(spec, store, sort="name:-1", offset=3, limit=5)
    assert (last.total, last.count, ids(last)) == (4, 1, [A])


def test_the_body_is_the_records_as_given(spec: Spec, store: CollectionStore) -> None:
    page = query(spec, store, sort="number:-1", limit=2)
    assert orjson.loads(page.body) == [CUSTOMERS[2], CUSTOMERS[3]]


def test_a_condition_part_indexed_part_scanned_holds_among_few_candidates(spec: Spec) -> None:
    """With few candidates left by ``ids``, ``name`` tests them one by one; its number term still counts."""
    data = default_dataset(spec)
    store = store_of_dataset(spec, data)
    first, second = data.customers[10], data.customers[20]
    assert not any(char.isdigit() for char in first["name"] + second["name"])
    chosen = filtered(spec, "ids", [first["_id"], second["_id"]])
    assert ids(query(spec, store, chosen, filtered(spec, "name", str(first["number"])))) == [first["_id"]]
    fragment = second["name"].upper()
    assert fragment.casefold() not in " ".join([first["name"], *map(str, first["address"].values())]).casefold()
    assert ids(query(spec, store, chosen, filtered(spec, "nameAndAddress", fragment))) == [second["_id"]]
