from __future__ import annotations

from datetime import UTC, datetime

import pytest

from customers_spec import Spec
from customers_spec.terms import filter_condition, general_condition


def test_a_digits_only_name_also_matches_the_number(spec: Spec) -> None:
    condition = filter_condition(spec.filters["name"], "1001")
    assert [(term.clause.path, term.value) for term in condition.terms] == [
        ("name", "1001"),
        ("number", 1001),
    ]
    assert [term.clause.path for term in filter_condition(spec.filters["name"], "Müller").terms] == ["name"]


def test_comma_lists_become_typed_tuples(spec: Spec) -> None:
    (term,) = filter_condition(spec.filters["status"], "1,2,30").terms
    assert term.value == (1, 2, 30)
    ids = ["65a1b2c3d4e5f6a7b8c9d0e1", "65a1b2c3d4e5f6a7b8c9d0e2"]
    (term,) = filter_condition(spec.filters["ids"], ids).terms
    assert term.value == tuple(ids)


def test_general_conditions_type_their_values(spec: Spec) -> None:
    (term,) = general_condition(spec, "generalField", "status.createdAt", "lt", "2024-01-15").terms
    assert term.value == datetime(2024, 1, 15, tzinfo=UTC)
    (term,) = general_condition(spec, "generalField", "contact.smsCount", "in", "1,2.5").terms
    assert term.value == (1, 2.5)
    (term,) = general_condition(spec, "generalField", "chatId", "exists", "false").terms
    assert term.value is False


@pytest.mark.parametrize(
    ("field", "operator", "value", "message"),
    [
        ("number", "eq", "abc", "not a decimal number"),
        ("number", "eq", "1_000", "not a decimal number"),
        ("hideRecipientOnDocuments", "eq", "yes", "not true or false"),
        ("_id", "eq", "XYZ", "not an ObjectId"),
        ("status.createdAt", "gt", "yesterday", "Invalid isoformat"),
    ],
)
def test_values_that_do_not_parse_as_the_type_are_refused(
    spec: Spec, field: str, operator: str, value: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        general_condition(spec, "generalField", field, operator, value)
