"""The query parser: every parameter kind read as the spec declares it, every violation named."""

from __future__ import annotations

import pytest

from customers_spec import Spec
from customers_spec.model import SortKey
from customers_spec.wire import decode_query
from mockserver.http.params import QueryParser
from mockserver.http.problems import InvalidRequest

OID_A = "65a1b2c3d4e5f6a7b8c9d0e1"
OID_B = "65a1b2c3d4e5f6a7b8c9d0e2"


@pytest.fixture(scope="module")
def parser(spec: Spec) -> QueryParser:
    return QueryParser(spec)


def errors_of(parser: QueryParser, query: str) -> list[dict[str, str]]:
    with pytest.raises(InvalidRequest) as caught:
        parser.parse(decode_query(query, max_fields=1000))
    return [error.as_json() for error in caught.value.errors]


def reason_of(parser: QueryParser, query: str, name: str) -> str:
    found = [error for error in errors_of(parser, query) if error["name"] == name]
    assert len(found) == 1, found
    assert found[0]["in"] == "query"
    return found[0]["reason"]


def test_no_query_gives_the_spec_defaults(parser: QueryParser, spec: Spec) -> None:
    criteria = parser.parse(())
    assert (criteria.limit, criteria.offset, criteria.conditions) == (100, 0, ())
    assert criteria.sort == spec.sort.effective(None)


def test_page_bounds_and_sort_are_read(parser: QueryParser) -> None:
    criteria = parser.parse(decode_query("limit=5&offset=10&sort=name:-1,number:1", max_fields=1000))
    assert (criteria.limit, criteria.offset) == (5, 10)
    assert criteria.sort == (SortKey("name", True), SortKey("number"), SortKey("_id"))


@pytest.mark.parametrize(
    ("query", "name", "reason"),
    [
        ("limit=5000", "limit", "must be at most 1000, got 5000"),
        ("limit=0", "limit", "must be at least 1, got 0"),
        ("limit=ten", "limit", "must be an integer, got 'ten'"),
        ("limit=1.5", "limit", "must be an integer, got '1.5'"),
        ("limit=", "limit", "must be an integer, got ''"),
        ("offset=-1", "offset", "must be at least 0, got -1"),
        ("offset=" + "9" * 40, "offset", "must be at most 9007199254740991, got a number of 40 digits"),
        ("number=0", "number", "must be at least 1, got 0"),
        ("nameAndAddress=" + "x" * 201, "nameAndAddress", "must be at most 200 characters long, got 201"),
    ],
)
def test_scalar_violations(parser: QueryParser, query: str, name: str, reason: str) -> None:
    assert reason_of(parser, query, name) == reason


def test_bad_sort_uses_the_sort_grammar_messages(parser: QueryParser) -> None:
    assert reason_of(parser, "sort=colour:1", "sort").startswith("'colour' is not sortable; sortable paths: _id")
    assert reason_of(parser, "sort=name:2", "sort") == "direction '2' of 'name' must be 1 or -1"
    assert reason_of(parser, "sort=name", "sort") == "'name' is not 'path:1' or 'path:-1'"
    assert reason_of(parser, "sort=", "sort") == "'' is not 'path:1' or 'path:-1'"


def test_a_misspelt_sort_path_field_or_operator_gets_a_did_you_mean(parser: QueryParser) -> None:
    assert reason_of(parser, "sort=nmae:1", "sort").startswith("'nmae' is not sortable (did you mean 'name'?);")
    assert "did you mean 'status.createdAt'" in reason_of(parser, "sort=status.createdat:-1", "sort")
    assert "did you mean" not in reason_of(parser, "sort=zzzzzz:1", "sort")
    field = reason_of(parser, general(field="adress.city", operator="eq", value="x"), "generalField[field]")
    assert field == "'adress.city' is not a filterable field (did you mean 'address.city'?)"
    operator = reason_of(parser, general(field="name", operator="contain", value="x"), "generalField[operator]")
    assert operator.startswith("operator 'contain' is not allowed for string fields (did you mean 'contains'?)")


def test_bad_object_ids_are_named(parser: QueryParser) -> None:
    reason = reason_of(parser, f"ids={OID_A}&ids=XYZ", "ids")
    assert reason == "'XYZ' is not an ObjectId (24 lowercase hex characters)"
    assert "ObjectId" in reason_of(parser, f"objectIds={OID_A},{OID_A.upper()}", "objectIds")
    assert "ObjectId" in reason_of(parser, "customerHasAssignedObjectManager=", "customerHasAssignedObjectManager")


def test_too_many_array_values(parser: QueryParser) -> None:
    query = "ids=" + ",".join([OID_A] * 101)
    assert reason_of(parser, query, "ids") == "must have at most 100 values, got 101"


@pytest.mark.parametrize(
    "query", [f"ids={OID_A}&ids={OID_B}", f"ids={OID_A},{OID_B}", f"ids={OID_A},{OID_B}&ids={OID_A}"]
)
def test_arrays_may_be_repeated_or_comma_separated(parser: QueryParser, query: str) -> None:
    (condition,) = parser.parse(decode_query(query, max_fields=1000)).conditions
    assert condition.parameter == "ids"
    assert {value for term in condition.terms for value in term.value} == {OID_A, OID_B}


def test_filters_become_conditions(parser: QueryParser) -> None:
    criteria = parser.parse(decode_query("status=1,2&name=0123&number=7&nameAndAddress=berlin", max_fields=1000))
    by_name = {condition.parameter: condition for condition in criteria.conditions}
    assert set(by_name) == {"status", "name", "number", "nameAndAddress"}
    assert by_name["status"].terms[0].value == (1, 2)
    assert [term.value for term in by_name["name"].terms] == ["0123", 123]  # digits also match the number


def test_a_scalar_given_twice_is_an_error(parser: QueryParser) -> None:
    assert reason_of(parser, "limit=1&limit=2", "limit") == "must be given at most once, got 2 values"
    assert reason_of(parser, "status=1&status=2", "status") == "must be given at most once, got 2 values"


def test_every_violation_is_reported_at_once(parser: QueryParser) -> None:
    errors = errors_of(parser, "limit=0&offset=x&sort=x:1&ids=1&colour=red")
    assert {error["name"] for error in errors} == {"limit", "offset", "sort", "ids", "colour"}


def test_an_unknown_parameter_gets_a_suggestion(parser: QueryParser) -> None:
    (error,) = errors_of(parser, "limt=3")
    assert error == {
        "name": "limt",
        "in": "query",
        "reason": "is not a parameter of this operation",
        "suggestion": "limit",
    }
    assert errors_of(parser, "OFFSET=3")[0]["suggestion"] == "offset"
    assert errors_of(parser, "generalField[feild]=name")[0]["suggestion"] == "generalField[field]"
    assert "suggestion" not in errors_of(parser, "zzzzzzzz=1")[0]


def test_lenient_ignores_unknown_parameters_but_not_bad_values(spec: Spec) -> None:
    lenient = QueryParser(spec, lenient=True)
    assert lenient.parse(decode_query("colour=red&limit=3&generalField[colour]=x", max_fields=1000)).limit == 3
    with pytest.raises(InvalidRequest):
        lenient.parse(decode_query("colour=red&limit=0", max_fields=1000))


def general(**keys: str) -> str:
    return "&".join(f"generalField[{key}]={value}" for key, value in keys.items())


def test_general_field_becomes_a_condition(parser: QueryParser) -> None:
    query = general(field="number", operator="gte", value="5")
    (condition,) = parser.parse(decode_query(query, max_fields=1000)).conditions
    (term,) = condition.terms
    assert (condition.parameter, term.clause.path, term.clause.operator, term.value) == (
        "generalField",
        "number",
        "gte",
        5,
    )
    query = general(field="contact.email", operator="exists", value="false", type="string")
    assert parser.parse(decode_query(query, max_fields=1000)).conditions[0].terms[0].value is False


@pytest.mark.parametrize(
    ("keys", "name", "reason"),
    [
        (
            {"field": "colour", "operator": "eq", "value": "x"},
            "generalField[field]",
            "'colour' is not a filterable field",
        ),
        (
            {"field": "hideRecipientOnDocuments", "operator": "gt", "value": "true"},
            "generalField[operator]",
            "operator 'gt' is not allowed for boolean fields (eq, exists, ne)",
        ),
        (
            {"field": "number", "operator": "eq", "value": "many"},
            "generalField[value]",
            "'many' is not a decimal number",
        ),
        (
            {"field": "number", "operator": "eq", "value": "1", "type": "string"},
            "generalField[type]",
            "'number' is of type number, not string",
        ),
        ({"field": "number", "operator": "eq", "value": "01"}, "generalField[value]", "must match"),
        ({"field": "status.createdAt", "operator": "gt", "value": "yesterday"}, "generalField[value]", "yesterday"),
        ({"field": "name", "operator": "eq", "value": "x" * 201}, "generalField[value]", "at most 200 characters"),
    ],
)
def test_general_field_violations(parser: QueryParser, keys: dict[str, str], name: str, reason: str) -> None:
    assert reason in reason_of(parser, general(**keys), name)


def test_general_field_keys_go_together(parser: QueryParser) -> None:
    errors = errors_of(parser, general(field="name"))
    assert {error["name"] for error in errors} == {"generalField[operator]", "generalField[value]"}
    assert all("must be given together with generalField[field]" in error["reason"] for error in errors)


def test_general_field_unknown_key_repeated_key_and_bare_name(parser: QueryParser) -> None:
    assert errors_of(parser, "generalField[colour]=x")[0]["name"] == "generalField[colour]"
    query = general(field="name", operator="eq", value="x") + "&generalField[value]=y"
    assert reason_of(parser, query, "generalField[value]") == "must be given at most once, got 2 values"
    assert "deep object" in reason_of(parser, "generalField=name", "generalField")


def test_long_values_are_clipped_in_reasons(parser: QueryParser) -> None:
    reason = reason_of(parser, "sort=" + "x" * 65536, "sort")
    assert len(reason) <= 400


def test_query_pairs_keeps_order_and_blank_values() -> None:
    assert decode_query(b"b=1&a=&b=2&c", max_fields=10) == (("b", "1"), ("a", ""), ("b", "2"), ("c", ""))
    with pytest.raises(ValueError):
        decode_query("a=1&" * 11, max_fields=10)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2023-05-02T05:50:01", "2023-05-02T05:50:01Z"),  # no offset: UTC, as generalField's description says
        ("2023-05-02t05:50:01.5", "2023-05-02T05:50:01.5Z"),
        ("2023-05-02T07:50:01%2B02:00", "2023-05-02T05:50:01Z"),
        ("2023-05-02", "2023-05-02T00:00:00Z"),
    ],
)
def test_a_date_is_read_as_the_spec_describes_it(parser: QueryParser, written: str, meant: str) -> None:
    query = "generalField[field]=status.createdAt&generalField[operator]=lt&generalField[value]="
    (condition,) = parser.parse(decode_query(query + written, max_fields=1000)).conditions
    (same,) = parser.parse(decode_query(query + meant, max_fields=1000)).conditions
    assert condition.terms[0].value == same.terms[0].value


@pytest.mark.parametrize("written", ["2023-05-02T25:50:01", "2023-13-02T05:50:01", "2023-05-02 05:50:01"])
def test_a_date_time_without_offset_must_still_be_a_date_time(parser: QueryParser, written: str) -> None:
    query = "generalField[field]=status.createdAt&generalField[operator]=lt&generalField[value]=" + written
    assert reason_of(parser, query, "generalField[value]")
