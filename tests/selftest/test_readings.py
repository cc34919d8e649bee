"""The plain readings of the misreadings answer as the implementations they stand for, and the engine faults made
of them decide only the terms their misreading touches."""

from __future__ import annotations

from datetime import UTC, datetime

from customers_spec.model import Clause
from customers_spec.terms import Condition, Term
from selftest.misreadings import load_misreadings
from selftest.readings import READINGS, local_time, local_time_query, misreading_engine, raw_text, spec_reading

NAME = Clause("name", "contains", "string")
GNATZ = {"name": "Gnatz Hygiene", "number": 1234, "status": {"createdAt": "2018-07-18T07:55:59.643Z"}}


def reads(misreading: str, clause: Clause, raw: str, record: dict = GNATZ) -> tuple[bool, bool]:
    """(the spec's answer, the misreading's) for one record."""
    return spec_reading(clause, record, raw), READINGS[misreading](clause, record, raw)


def test_text_misreadings_find_what_the_spec_does_not_or_miss_what_it_finds() -> None:
    assert reads("like-wildcards", NAME, "gn_tz%ene") == (False, True)
    assert reads("regex-unescaped", NAME, "gn.tz") == (False, True)
    assert reads("input-trimmed", NAME, " Gnatz ") == (False, True)
    assert reads("case-sensitive-text", NAME, "gnatz") == (True, False)
    assert reads("lowercased-not-folded", NAME, "STRASSE", {"name": "Straße"}) == (True, False)
    assert reads("accent-insensitive", NAME, "Muller", {"name": "Müller"}) == (False, True)
    assert reads("startswith-as-contains", Clause("name", "startsWith", "string"), "natz") == (False, True)


def test_exact_misreadings_compare_what_the_spec_keeps_apart() -> None:
    eq = Clause("name", "eq", "string")
    assert reads("pad-space-equality", eq, "Gnatz Hygiene ") == (False, True)
    assert reads("case-insensitive-exact", eq, "GNATZ HYGIENE") == (False, True)
    assert reads("list-values-trimmed", Clause("name", "in", "string"), "x, Gnatz Hygiene") == (False, True)
    assert reads("ne-drops-missing", Clause("name", "ne", "string"), "x", {}) == (True, False)
    assert reads("exists-by-key", Clause("name", "exists", "string"), "false", {"name": None}) == (True, False)


def test_number_and_date_misreadings() -> None:
    number = Clause("number", "gt", "number")
    assert reads("numbers-as-text", number, "999") == (True, False)
    assert reads("parse-int", Clause("number", "eq", "number"), "1234.5") == (False, True)
    assert reads("number-prefix", Clause("number", "eq", "number"), "123") == (False, True)
    created = Clause("status.createdAt", "eq", "date")
    assert reads("date-as-day", created, "2018-07-18") == (False, True)
    assert reads("local-time-without-offset", created, "2018-07-18T07:55:59.643") == (True, False)
    assert reads("dates-as-text", created, "2018-07-18T09:55:59.643+02:00") == (True, False)
    assert reads("false-is-truthy", Clause("flag", "eq", "boolean"), "false", {"flag": True}) == (False, True)


def test_a_date_time_without_an_offset_is_read_in_local_time_wherever_it_is_in_the_query() -> None:
    assert local_time("2018-07-18T07:55:59") == "2018-07-18T07:55:59+01:00"
    assert local_time("2018-07-18T07:55:59Z") == "2018-07-18T07:55:59Z" and local_time("Gnatz") == "Gnatz"
    assert local_time_query((("a[value]", "2018-07-18T07:55"), ("b", "x"))) == (
        ("a[value]", "2018-07-18T07:55+01:00"),
        ("b", "x"),
    )


def test_a_term_is_written_back_as_the_query_text_it_was_read_from() -> None:
    assert raw_text(Term(NAME, "Gnatz")) == "Gnatz"
    assert raw_text(Term(Clause("n", "in", "number"), (1, 2.5))) == "1,2.5"
    assert raw_text(Term(Clause("f", "eq", "boolean"), False)) == "false"
    moment = datetime(2018, 7, 18, 7, 55, tzinfo=UTC)
    assert raw_text(Term(Clause("d", "gt", "date"), moment)) == moment.isoformat()


def test_the_fault_of_a_misreading_decides_only_the_terms_it_touches() -> None:
    like = next(each for each in load_misreadings() if each.id == "like-wildcards")
    engine = misreading_engine(like)
    assert engine.predicate is not None
    test = engine.predicate(Condition("name", (Term(NAME, "gn_tz"),)), Term(NAME, "gn_tz"))
    assert test is not None and test(GNATZ)
    exact = Term(Clause("name", "eq", "string"), "gn_tz")
    assert engine.predicate(Condition("name", (exact,)), exact) is None


def test_misread_orders_put_no_value_last_or_collate_case_and_accents_aside() -> None:
    from customers_spec.model import SortKey
    from selftest.readings import SORT_READINGS

    records = [{"name": "abc"}, {"name": "ABD"}, {}, {"name": "Äb"}]
    types = {"name": "string"}
    ascending = [SortKey("name", descending=False)]
    last = SORT_READINGS["missing-sort-last"](records, ascending, types)
    assert [each.get("name") for each in last] == ["ABD", "abc", "Äb", None]
    collated = SORT_READINGS["locale-collation"](records, ascending, types)
    assert [each.get("name") for each in collated] == [None, "Äb", "abc", "ABD"]  # by code point: ABD, abc, Äb
