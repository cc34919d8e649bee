"""Telling values: made from a stored value so that the spec's reading and a misreading answer differently on the
customer it came from; drawn by field type and operator, always a value of the field's type."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_tests.generation.sample import Sample
from contract_tests.generation.telling import (
    BY_NAME,
    TELLINGS,
    day_of,
    digits_prefix,
    half_above,
    inner_part,
    one_wildcard,
    other_digit_count,
    other_offset,
    padded,
    recased,
    sharp_s,
    telling_values,
    unaccented,
    without_offset,
)
from customers_spec.model import Clause
from customers_spec.values import parse_datetime, parse_value

RUN = settings(max_examples=80, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
STORED = Sample(
    values={
        "name": ("Gnatz Hygiene", "Straße 5", "Müller"),
        "number": (7, 1234),
        "status.createdAt": ("2018-07-18T07:55:59.643Z",),
        "hideRecipientOnDocuments": (False, True),
    }
)


def test_text_is_made_as_a_hurried_server_misreads_it() -> None:
    assert one_wildcard("Gnatz Hygiene", 0) == "_natz Hygiene"
    assert one_wildcard("Gnatz Hygiene", 2) == "Gn_tz Hygiene"
    assert padded("Gnatz", 0) == " Gnatz " and padded("   ", 0) is None
    assert recased("Gnatz", 0) == "gNATZ" and recased("123", 0) is None
    assert sharp_s("Straße", 0) == "STRASSE" and sharp_s("Wasser", 0) == "Waßer" and sharp_s("Gnatz", 0) is None
    assert unaccented("Müller", 0) == "Muller" and unaccented("Gnatz", 0) is None
    assert inner_part("Gnatz", 0) == "nat"


def test_numbers_and_dates_are_made_where_the_readings_part() -> None:
    assert other_digit_count(1234, 0) == "999" and other_digit_count(7, 0) == "10"
    assert half_above(1234, 0) == "1234.5" and digits_prefix(1234, 0) == "123"
    assert digits_prefix(7, 0) is None and other_digit_count(True, 0) is None
    assert day_of("2018-07-18T07:55:59.643Z", 0) == "2018-07-18" and day_of("2018-07-18T00:00:00Z", 0) is None
    assert without_offset("2018-07-18T09:55:59.643+02:00", 0) == "2018-07-18T07:55:59.643"
    moment = parse_datetime("2018-07-18T07:55:59.643Z")
    assert parse_datetime(other_offset("2018-07-18T07:55:59.643Z", 0) or "") == moment


def test_each_draw_is_named_once_and_tells_for_some_type_and_operator() -> None:
    assert len(BY_NAME) == len(TELLINGS)
    assert all(telling.types and telling.operators for telling in TELLINGS)


def test_no_draw_where_none_tells_or_the_data_gives_none() -> None:
    assert telling_values(STORED, Clause("name", "exists", "string")) is not None  # exists=false beside nulls
    assert telling_values(STORED, Clause("contact.email", "contains", "string")) is None  # no stored value
    assert telling_values(STORED, Clause("_id", "eq", "objectid")) is None


def test_drawn_values_are_values_of_the_field_type_and_only_of_draws_that_apply() -> None:
    clauses = [
        Clause("name", "contains", "string"),
        Clause("name", "eq", "string"),
        Clause("number", "gt", "number"),
        Clause("number", "eq", "number"),
        Clause("status.createdAt", "lte", "date"),
        Clause("hideRecipientOnDocuments", "eq", "boolean"),
    ]
    made = {clause: telling_values(STORED, clause) for clause in clauses}

    @RUN
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        clause = data.draw(st.sampled_from(clauses))
        strategy = made[clause]
        assert strategy is not None
        value = data.draw(strategy)
        parse_value(clause.type, value)  # raises if it is no value of the type
        makers = [telling for telling in TELLINGS if telling.applies(clause)]
        assert any(
            value == telling.make(stored, choice)
            for telling in makers
            for stored in STORED.of(clause.path)
            for choice in range(65)
        ), value

    draw()
