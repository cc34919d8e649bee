"""The oracle on hand-computed examples: every expected answer below was worked out by reading the spec."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests.judging.oracle import checkable, is_ordered, link_offsets, misordered_at, order, satisfies, select
from customers_spec import SortKey, Spec
from customers_spec.terms import Condition, filter_condition, general_condition

ID_A = "aaaaaaaaaaaaaaaaaaaaaaa1"
ID_B = "aaaaaaaaaaaaaaaaaaaaaaa2"
ID_C = "aaaaaaaaaaaaaaaaaaaaaaa3"
SITE_1 = "bbbbbbbbbbbbbbbbbbbbbbb1"
SITE_2 = "bbbbbbbbbbbbbbbbbbbbbbb2"
MANAGER = "ccccccccccccccccccccccc1"

STRASSE = {
    "_id": ID_A,
    "number": 1001,
    "name": "Straße Reinigung GmbH",
    "status": {"status": 2, "createdAt": "2024-01-15T12:00:00+02:00", "createdBy": "u1"},
    "address": {"street": "Hauptstraße 1", "zip": "10115", "city": "Berlin", "country": "DE"},
    "contact": {"email": "info@strasse.de", "smsCount": 3},
    "hideRecipientOnDocuments": False,
}
ZEBRA = {
    "_id": ID_B,
    "number": 7,
    "name": "Zebra (a.b) AG",
    "status": {"status": 1, "createdAt": "2024-01-15T09:00:00Z", "createdBy": "u2"},
    "address": {"street": "Ring 2", "zip": "50667", "city": "Köln", "country": "DE", "co": None},
    "contact": {"email": None},
    "hideRecipientOnDocuments": True,
}
ALPHA = {
    "_id": ID_C,
    "number": 30,
    "name": "alpha",
    "status": {"status": 2, "createdAt": "2023-06-01T00:00:00Z", "createdBy": "u1"},
    "address": {"street": "Weg 3", "zip": "80331", "city": "München", "country": "DE"},
    "contact": {},
    "hideRecipientOnDocuments": False,
}
ITEMS: list[dict[str, Any]] = [STRASSE, ZEBRA, ALPHA]
OBJECTS: list[dict[str, Any]] = [
    {"_id": SITE_1, "customerId": ID_A, "name": "Lager", "objectManagerId": MANAGER},
    {"_id": SITE_2, "customerId": ID_B, "name": "Büro", "objectManagerId": None},
]


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def general(spec: Spec, field: str, operator: str, value: str) -> Condition:
    return general_condition(spec, "generalField", field, operator, value)


def matching(spec: Spec, condition: Condition) -> list[str]:
    return [item["name"] for item in ITEMS if satisfies(item, condition, OBJECTS)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("STRASSE", ["Straße Reinigung GmbH"]),  # casefold: ß matches SS
        ("zebra", ["Zebra (a.b) AG"]),
        ("(a.b)", ["Zebra (a.b) AG"]),  # metacharacters are literal
        ("a.b", ["Zebra (a.b) AG"]),
        ("a.c", []),
        ("30", ["alpha"]),  # digits also match the number exactly
        ("3", []),  # ... but not a part of it
        ("", ["Straße Reinigung GmbH", "Zebra (a.b) AG", "alpha"]),
    ],
)
def test_name_is_a_casefolded_substring_or_the_exact_number(spec: Spec, value: str, expected: list[str]) -> None:
    assert matching(spec, filter_condition(spec.filters["name"], value)) == expected


def test_name_and_address_matches_any_address_field(spec: Spec) -> None:
    assert matching(spec, filter_condition(spec.filters["nameAndAddress"], "KÖLN")) == ["Zebra (a.b) AG"]
    assert matching(spec, filter_condition(spec.filters["nameAndAddress"], "0")) == [
        "Straße Reinigung GmbH",
        "Zebra (a.b) AG",
        "alpha",
    ]


def test_status_and_ids_are_exact_lists(spec: Spec) -> None:
    assert matching(spec, filter_condition(spec.filters["status"], "2,5")) == ["Straße Reinigung GmbH", "alpha"]
    assert matching(spec, filter_condition(spec.filters["ids"], [ID_B, ID_C])) == ["Zebra (a.b) AG", "alpha"]
    assert matching(spec, filter_condition(spec.filters["number"], "7")) == ["Zebra (a.b) AG"]


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        # A missing or null e-mail satisfies only ne, nin and exists=false.
        ("contact.email", "ne", "info@strasse.de", ["Zebra (a.b) AG", "alpha"]),
        ("contact.email", "nin", "x@y.z", ["Straße Reinigung GmbH", "Zebra (a.b) AG", "alpha"]),
        ("contact.email", "exists", "false", ["Zebra (a.b) AG", "alpha"]),
        ("contact.email", "exists", "true", ["Straße Reinigung GmbH"]),
        ("contact.email", "lt", "zzz", ["Straße Reinigung GmbH"]),
        ("contact.email", "endsWith", ".DE", ["Straße Reinigung GmbH"]),
        ("contact.smsCount", "gte", "0", ["Straße Reinigung GmbH"]),
        # Exact string comparisons are case-sensitive and by code point: "Z" < "a" < "ä".
        ("name", "eq", "ALPHA", []),
        ("name", "lt", "a", ["Straße Reinigung GmbH", "Zebra (a.b) AG"]),
        ("name", "gt", "Zz", ["alpha"]),
        ("address.city", "gt", "Mz", ["alpha"]),  # "München" > "Mz" because "ü" > "z"
        ("address.city", "lt", "Mu", ["Straße Reinigung GmbH", "Zebra (a.b) AG"]),
        ("name", "startsWith", "ZEB", ["Zebra (a.b) AG"]),
        # Numbers compare numerically, not as text: 7 < 30 < 1001.
        ("number", "gt", "8", ["Straße Reinigung GmbH", "alpha"]),
        ("number", "in", "7,30.0", ["Zebra (a.b) AG", "alpha"]),
        ("status.status", "nin", "1", ["Straße Reinigung GmbH", "alpha"]),
        # Dates compare by instant: 12:00+02:00 is 10:00Z, after 09:00Z.
        ("status.createdAt", "gt", "2024-01-15T09:30:00Z", ["Straße Reinigung GmbH"]),
        ("status.createdAt", "eq", "2024-01-15T10:00:00Z", ["Straße Reinigung GmbH"]),
        ("status.createdAt", "lt", "2024-01-15", ["alpha"]),
        ("hideRecipientOnDocuments", "eq", "true", ["Zebra (a.b) AG"]),
        ("hideRecipientOnDocuments", "ne", "true", ["Straße Reinigung GmbH", "alpha"]),
        ("chatId", "exists", "false", ["Straße Reinigung GmbH", "Zebra (a.b) AG", "alpha"]),
        ("_id", "in", f"{ID_A},{ID_C}", ["Straße Reinigung GmbH", "alpha"]),
    ],
)
def test_general_field_operators(spec: Spec, field: str, operator: str, value: str, expected: list[str]) -> None:
    assert matching(spec, general(spec, field, operator, value)) == expected


def test_relation_filters_go_through_the_objects(spec: Spec) -> None:
    by_site = filter_condition(spec.filters["objectIds"], [SITE_2])
    by_manager = filter_condition(spec.filters["customerHasAssignedObjectManager"], [MANAGER])
    assert matching(spec, by_site) == ["Zebra (a.b) AG"]
    assert matching(spec, filter_condition(spec.filters["objectIds"], [SITE_1, SITE_2])) == [
        "Straße Reinigung GmbH",
        "Zebra (a.b) AG",
    ]
    assert matching(spec, by_manager) == ["Straße Reinigung GmbH"]
    assert matching(spec, filter_condition(spec.filters["objectIds"], [ID_A])) == []  # a customer id is no site
    assert not satisfies(STRASSE, by_manager, objects=())
    assert not checkable(by_site)
    assert checkable(filter_condition(spec.filters["name"], "a"))


def test_a_record_value_of_the_wrong_type_meets_no_ordering(spec: Spec) -> None:
    broken = {**ALPHA, "number": "30"}
    assert not satisfies(broken, general(spec, "number", "gt", "1"))
    assert not satisfies(broken, general(spec, "number", "eq", "30"))
    assert satisfies(broken, general(spec, "number", "ne", "30"))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["Zebra (a.b) AG", "alpha", "Straße Reinigung GmbH"]),  # default number:1
        ("name:1", ["Straße Reinigung GmbH", "Zebra (a.b) AG", "alpha"]),  # code point: S < Z < a
        ("name:-1", ["alpha", "Zebra (a.b) AG", "Straße Reinigung GmbH"]),
        ("status.status:-1", ["Straße Reinigung GmbH", "alpha", "Zebra (a.b) AG"]),  # tie: _id ascending
        ("status.status:-1,_id:-1", ["alpha", "Straße Reinigung GmbH", "Zebra (a.b) AG"]),
        ("status.createdAt:1", ["alpha", "Zebra (a.b) AG", "Straße Reinigung GmbH"]),  # by instant
        ("contact.email:1", ["Zebra (a.b) AG", "alpha", "Straße Reinigung GmbH"]),  # missing lowest
        ("contact.email:-1", ["Straße Reinigung GmbH", "Zebra (a.b) AG", "alpha"]),  # ... last descending
        ("status.status:1,status.status:-1", ["Zebra (a.b) AG", "Straße Reinigung GmbH", "alpha"]),
    ],
)
def test_order_follows_the_effective_keys(spec: Spec, sort: str | None, expected: list[str]) -> None:
    keys = spec.sort.effective(sort)
    ordered = order(ITEMS, keys, spec=spec)
    assert names(ordered) == expected
    assert is_ordered(ordered, keys, spec=spec)


def test_misordered_at_names_the_first_wrong_pair(spec: Spec) -> None:
    keys = spec.sort.effective("number:1")
    assert misordered_at([ZEBRA, ALPHA, STRASSE], keys, spec=spec) is None
    assert misordered_at([ZEBRA, STRASSE, ALPHA], keys, spec=spec) == 1
    assert not is_ordered([ALPHA, ZEBRA], [SortKey("number")], spec=spec)
    assert is_ordered([], keys, spec=spec)


def test_select_filters_then_orders(spec: Spec) -> None:
    conditions = [filter_condition(spec.filters["status"], "2"), general(spec, "number", "lt", "1001")]
    assert names(select(ITEMS, conditions, spec.sort.effective("name:-1"), spec=spec)) == ["alpha"]
    assert names(select(ITEMS, [], spec.sort.effective("number:-1"), spec=spec)) == [
        "Straße Reinigung GmbH",
        "alpha",
        "Zebra (a.b) AG",
    ]


@pytest.mark.parametrize(
    ("offset", "limit", "total", "expected"),
    [
        (0, 10, 0, {"first": 0, "last": 0}),
        (0, 10, 10, {"first": 0, "last": 0}),
        (0, 10, 11, {"first": 0, "last": 10, "next": 10}),
        (5, 10, 11, {"first": 0, "last": 10, "prev": 0}),
        (25, 10, 100, {"first": 0, "last": 90, "prev": 15, "next": 35}),
        (500, 10, 20, {"first": 0, "last": 10, "prev": 490}),
    ],
)
def test_link_offsets(offset: int, limit: int, total: int, expected: dict[str, int]) -> None:
    assert link_offsets(offset, limit, total) == expected
