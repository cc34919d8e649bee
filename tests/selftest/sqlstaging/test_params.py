"""The query read as the spec declares its parameters: a request, or every invalid parameter named."""

from __future__ import annotations

import pytest

from customers_spec import Spec
from customers_spec.model import SortKey
from customers_spec.wire import decode_query
from selftest.sqlstaging.params import BadRequest, QueryReader


def names(spec: Spec, query: str) -> list[str]:
    with pytest.raises(BadRequest) as refused:
        QueryReader(spec).read(decode_query(query))
    return [error.name for error in refused.value.errors]


def test_a_valid_query_is_read_into_filters_order_and_page(spec: Spec) -> None:
    query = "limit=5&offset=10&sort=name:-1,name:1&name=123&ids=" + "a" * 24 + "," + "b" * 24
    request = QueryReader(spec).read(decode_query(query))
    assert (request.limit, request.offset, request.sort) == (5, 10, (SortKey("name", True),))
    by_name = {condition.parameter: condition for condition in request.conditions}
    assert [term.clause.path for term in by_name["name"].terms] == ["name", "number"]
    assert by_name["ids"].terms[0].value == ("a" * 24, "b" * 24)
    assert QueryReader(spec).read(()).limit == spec.parameters["limit"].default


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=0&offset=-1", ["limit", "offset"]),
        ("limit=1.5", ["limit"]),
        ("offset=" + "9" * 40, ["offset"]),
        ("limti=5", ["limti"]),
        ("number=1&number=2", ["number"]),
        ("sort=nmae:1", ["sort"]),
        ("status=a", ["status"]),
        ("ids=xyz", ["ids"]),
        ("generalField=x", ["generalField"]),
        ("generalField[field]=name", ["generalField[operator]"]),
        ("generalField[field]=nme&generalField[operator]=eq&generalField[value]=x", ["generalField[field]"]),
        (
            "generalField[field]=name&generalField[operator]=gt&generalField[value]=x&generalField[type]=number",
            ["generalField[type]"],
        ),
        (
            "generalField[field]=number&generalField[operator]=contains&generalField[value]=1",
            ["generalField[operator]"],
        ),
        ("generalField[field]=number&generalField[operator]=eq&generalField[value]=01", ["generalField[value]"]),
        (
            "generalField[field]=status.createdAt&generalField[operator]=gt&generalField[value]=2024-02-30",
            ["generalField[value]"],
        ),
    ],
)
def test_each_invalid_parameter_is_named(spec: Spec, query: str, named: list[str]) -> None:
    assert names(spec, query) == named


def test_an_unknown_name_gets_the_documented_one_it_resembles(spec: Spec) -> None:
    with pytest.raises(BadRequest) as refused:
        QueryReader(spec).read(decode_query("Limit=5"))
    assert refused.value.errors[0].as_json()["suggestion"] == "limit"
