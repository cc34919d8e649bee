"""Ids for an item operation: known ones drawn by seed, unknown ones shaped like them, a malformed one."""

from __future__ import annotations

from typing import Any

from contract_tests.generation.ids import known_ids, malformed_id, unknown_ids
from customers_spec import Spec
from customers_spec.schemas import schema_for_value

OBJECT_ID = {"type": "string", "pattern": "^[0-9a-f]{24}$"}
RECORDS: list[dict[str, Any]] = [{"_id": f"{index:024x}"} for index in range(50)] + [{"_id": 7}, {"other": "x"}]


def test_known_ids_are_drawn_by_seed_in_the_records_order() -> None:
    first = known_ids(RECORDS, "_id", 5, seed=3)
    assert first == known_ids(RECORDS, "_id", 5, seed=3) and len(first) == 5
    assert first == sorted(first), "kept in the records' order"
    assert known_ids(RECORDS[:3], "_id", 5, seed=3) == [record["_id"] for record in RECORDS[:3]]
    assert known_ids([{"_id": 7}], "_id", 5, seed=1) == [], "an id that is no text cannot be a path segment"


def test_unknown_ids_are_valid_in_form_and_none_of_the_known(spec: Spec) -> None:
    known = [record["_id"] for record in RECORDS[:50]]
    found = unknown_ids(spec, OBJECT_ID, known, 3)
    validator = schema_for_value(spec, OBJECT_ID)
    assert len(found) == 3 and len(set(found)) == 3
    assert all(validator.is_valid(each) and each not in known for each in found)
    assert unknown_ids(spec, {"type": "string", "pattern": "^12345$"}, ["12345"]) == [], "nothing else fits"


def test_digits_stay_digits(spec: Spec) -> None:
    found = unknown_ids(spec, {"type": "string", "pattern": "^[0-9]{6}$"}, ["123456"], 2)
    assert len(found) == 2 and all(each.isdigit() and len(each) == 6 for each in found)


def test_a_malformed_id_only_where_the_schema_makes_one(spec: Spec) -> None:
    malformed = malformed_id(spec, OBJECT_ID)
    assert malformed is not None and not schema_for_value(spec, OBJECT_ID).is_valid(malformed)
    assert malformed_id(spec, {"type": "string"}) is None
