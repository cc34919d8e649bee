"""The tables laid out from the spec: a column per catalogued path, values stored as they compare."""

from __future__ import annotations

import sqlite3

from customers_spec import Spec
from customers_spec.values import parse_datetime
from selftest.sqlstaging.tables import Layout, fill, instant, stored, value_column


def test_every_catalogued_path_has_a_column_and_each_relation_its_paths(spec: Spec) -> None:
    layout = Layout.of(spec)
    assert set(layout.types) == set(spec.field_types)
    relations = {clause.via for rule in spec.filters.values() for clause in rule.clauses if clause.via}
    for via in relations:
        assert {via.match, via.select} <= set(layout.relations[via.collection])


def test_values_are_stored_as_they_compare() -> None:
    assert stored("date", "2024-01-15T11:30:00+01:00") == stored("date", "2024-01-15T10:30:00Z")
    assert stored("date", "2024-01-15T10:30:00.5Z") - stored("date", "2024-01-15T10:30:00Z") == 500_000
    assert instant(parse_datetime("1970-01-01")) == 0
    assert stored("boolean", True) == 1 and stored("string", None) is None and stored("number", 7) == 7


def test_a_customer_is_written_with_its_json_and_folded_text(spec: Spec) -> None:
    layout = Layout.of(spec)
    connection = sqlite3.connect(":memory:")
    record = {"_id": "a" * 24, "number": 5, "name": "Straße", "status": {"status": 1}, "address": {"city": "Köln"}}
    fill(connection, layout, [record], {})
    name, folded, city = connection.execute(
        f'SELECT {value_column("name")}, "f:name", {value_column("address.city")} FROM customers'
    ).fetchone()
    assert (name, folded, city) == ("Straße", "strasse", "Köln")
    assert connection.execute(f"SELECT {value_column('contactPerson')} FROM customers").fetchone() == (None,)
