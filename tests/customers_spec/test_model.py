from __future__ import annotations

import pytest

from customers_spec import SortKey, Spec


def test_sort_keys_parse_in_order_first_occurrence_winning(spec: Spec) -> None:
    keys = spec.sort.parse("status.createdAt:-1,number:1,status.createdAt:1")
    assert keys == (SortKey("status.createdAt", True), SortKey("number", False))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("nope:1", "'nope' is not sortable"),
        ("number:2", "direction '2' of 'number' must be 1 or -1"),
        ("number", "'number' is not 'path:1' or 'path:-1'"),
        ("number:1,", "'' is not 'path:1' or 'path:-1'"),
    ],
)
def test_bad_sort_keys_say_what_is_wrong(spec: Spec, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        spec.sort.parse(raw)


def test_the_effective_order_ends_with_the_tie_breaker_once(spec: Spec) -> None:
    assert spec.sort.effective(None) == (SortKey("number"), SortKey("_id"))
    assert spec.sort.effective("name:-1") == (SortKey("name", True), SortKey("_id"))
    assert spec.sort.effective("_id:-1") == (SortKey("_id", True),)


def test_written_keys_are_ordered_by_each_paths_first_key(spec: Spec) -> None:
    written = (SortKey("name", True), SortKey("number"), SortKey("name"))
    assert spec.sort.ordered_by(written) == (SortKey("name", True), SortKey("number"), SortKey("_id"))
    assert spec.sort.ordered_by(()) == spec.sort.effective(None)


def test_general_clauses_follow_the_field_catalogue(spec: Spec) -> None:
    clause = spec.general_clause("status.createdAt", "gte", "date")
    assert (clause.path, clause.operator, clause.type) == ("status.createdAt", "gte", "date")
    with pytest.raises(ValueError, match="not a filterable field"):
        spec.general_clause("secret", "eq")
    with pytest.raises(ValueError, match="of type number, not string"):
        spec.general_clause("number", "eq", "string")
    with pytest.raises(ValueError, match="'contains' is not allowed for number fields"):
        spec.general_clause("number", "contains")


def test_clauses_with_when_apply_only_to_matching_values(spec: Spec) -> None:
    name_clause, number_clause = spec.filters["name"].clauses
    assert name_clause.applies_to("abc") and name_clause.applies_to("1001")
    assert number_clause.applies_to("1001") and not number_clause.applies_to("10a")


def test_a_path_template_names_its_parameters_and_is_filled_one_encoded_segment_each() -> None:
    from customers_spec.model import fill_path, path_parameters

    assert path_parameters("/v2/customers/{customerId}/objects/{objectId}") == ("customerId", "objectId")
    assert fill_path("/v2/customers/{customerId}/objects", {"customerId": "a/b?"}) == "/v2/customers/a%2Fb%3F/objects"


def test_the_shipped_list_is_sortable_and_its_collection_is_the_customers(spec: Spec) -> None:
    assert spec.sortable and spec.path_parameters == () and spec.parent is None
    assert (spec.collection.name, spec.collection.schema, spec.collection.id_field) == ("customers", "Customer", "_id")
    assert spec.collection.field_types is spec.field_types
