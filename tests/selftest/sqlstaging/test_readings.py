"""The readings: the correct one's SQL rules, and each fault's one rule misread, on a table of three rows."""

from __future__ import annotations

import sqlite3

import pytest

from selftest.sqlstaging.readings import (
    CORRECT,
    FAULTS,
    absent_aware,
    case_sensitive_contains,
    folded_text,
    like_text,
    nulls_highest,
    reading_named,
    three_valued,
)

ROWS = [("a_c", "a_c"), ("abc", "abc"), ("Groß", "gross"), (None, None)]


def matching(sql_and_params: tuple[str, list]) -> list[str | None]:
    connection = sqlite3.connect(":memory:")
    connection.execute('CREATE TABLE t ("v", "f")')
    connection.executemany("INSERT INTO t VALUES (?, ?)", ROWS)
    sql, params = sql_and_params
    return [value for (value,) in connection.execute(f'SELECT "v" FROM t WHERE {sql} ORDER BY rowid', params)]


@pytest.mark.parametrize(
    ("operator", "needle", "found"),
    [
        ("contains", "_", ["a_c"]),
        ("contains", "GROSS", ["Groß"]),
        ("contains", "", ["a_c", "abc", "Groß"]),
        ("startsWith", "A_", ["a_c"]),
        ("endsWith", "SS", ["Groß"]),
        ("endsWith", "", ["a_c", "abc", "Groß"]),
    ],
)
def test_text_is_matched_literally_and_case_folded(operator: str, needle: str, found: list[str]) -> None:
    assert matching(folded_text(operator, '"v"', '"f"', needle)) == found


def test_a_like_pattern_takes_the_needle_for_wildcards_and_instr_keeps_case() -> None:
    assert matching(like_text("contains", '"v"', '"f"', "a_c")) == ["a_c", "abc"]
    assert matching(case_sensitive_contains("contains", '"v"', '"f"', "GROSS")) == []


def test_ne_and_nin_keep_the_rows_without_a_value_unless_read_as_plain_sql() -> None:
    assert matching(absent_aware("ne", '"v"', ["abc"])) == ["a_c", "Groß", None]
    assert matching(absent_aware("nin", '"v"', ["abc", "a_c"])) == ["Groß", None]
    assert matching(three_valued("ne", '"v"', ["abc"])) == ["a_c", "Groß"]
    assert matching(absent_aware("in", '"v"', [])) == []


def test_the_fault_table_is_by_name_and_each_fault_changes_one_rule() -> None:
    assert reading_named("correct") is CORRECT
    for name, fault in FAULTS.items():
        assert reading_named(name) is fault.reading and fault.reading != CORRECT and fault.misread
    assert nulls_highest(False) == " NULLS LAST"
    with pytest.raises(KeyError, match="like pattern"):
        reading_named("no such fault")


def test_the_checks_a_fault_is_blind_to_are_the_kits() -> None:
    from contract_tests.judging.selection import select_checks

    names = {each.name for each in select_checks(None)}
    blind = {name for fault in FAULTS.values() for name in fault.blind}
    assert blind and blind <= names
