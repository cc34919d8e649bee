"""What a write makes of a record: RFC 7396's own examples, what the server owns dropped and set, uniqueness."""

from __future__ import annotations

from typing import Any

import pytest

from customers_spec import Api
from customers_spec.schemas import schema_for_value
from customers_spec.values import without
from mockserver.state.records import Shaper, Uniques, WriteRefused, merge_patch, new_id, now_text, put_path


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [  # RFC 7396, Appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_a_merge_patch_follows_rfc_7396(target: Any, patch: Any, result: Any) -> None:
    assert merge_patch(target, patch) == result


def test_owned_paths_are_dropped_from_a_copy_and_set_through_missing_objects() -> None:
    record: dict[str, Any] = {"_id": "x", "status": {"createdAt": "t", "status": 1}}
    assert without(record, ("_id", "status.createdAt", "nothing.here")) == {"status": {"status": 1}}
    assert record["status"]["createdAt"] == "t"
    put_path(record, "contact.email", "a@b.c")
    assert record["contact"] == {"email": "a@b.c"}


def test_uniqueness_is_within_its_scope_and_a_sequence_never_goes_back() -> None:
    records = {"1": {"_id": "1", "c": "x", "n": 5}, "2": {"_id": "2", "c": "y", "n": 9}}
    uniques = Uniques.of(records, (("n", "c"),), "_id")
    assert uniques.conflict({"_id": "3", "c": "x", "n": 5}, "_id") is not None
    assert uniques.conflict({"_id": "1", "c": "x", "n": 5}, "_id") is None  # itself
    assert uniques.conflict({"_id": "3", "c": "y", "n": 5}, "_id") is None
    assert (uniques.next_value("n", "c", "x"), uniques.next_value("n", "c", "new")) == (6, 1)
    uniques.remove(records["1"])
    assert uniques.next_value("n", "c", "x") == 6 and uniques.conflict({"_id": "3", "c": "x", "n": 5}, "_id") is None


def test_ids_and_times_have_the_forms_the_schema_asks() -> None:
    assert len(new_id({"pattern": "^[0-9a-f]{24}$"})) == 24 and len(new_id({})) == 36
    assert now_text().endswith("Z") and len(now_text()) == len("2024-01-01T00:00:00.000Z")


def test_a_shaper_refuses_what_is_no_object_and_keeps_what_the_server_owns_on_a_replace(example_api: Api) -> None:
    replace = example_api.writes[1]
    assert replace.kind == "replace" and replace.body_schema is not None
    shaper = Shaper(replace, schema_for_value(example_api.lists[0], replace.body_schema), {})
    with pytest.raises(WriteRefused) as refused:
        shaper.record([1], {}, Uniques({}, {}))
    assert refused.value.status == 400 and refused.value.errors[0].path == "$"
    with pytest.raises(WriteRefused) as invalid:
        shaper.record({"name": ""}, {"_id": "a"}, Uniques({}, {}))
    assert {error.path for error in invalid.value.errors} >= {"$", "$.name"}


def test_a_copy_of_the_uniques_is_independent() -> None:
    uniques = Uniques.of({"1": {"_id": "1", "c": "x", "n": 5}}, (("n", "c"),), "_id")
    copied = uniques.copy()
    copied.add({"_id": "2", "c": "x", "n": 8}, "_id")
    assert (copied.next_value("n", "c", "x"), uniques.next_value("n", "c", "x")) == (9, 6)
