"""Filter values as query text, drawn mostly from the data: whole values, fragments, neighbours, dates rewritten."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_tests.generation.conformance import conforms
from contract_tests.generation.sample import Sample
from contract_tests.generation.value_strategies import TYPINGS, date_formats, number_text, picked, typed, values_for
from customers_spec import Spec
from customers_spec.model import Clause
from customers_spec.values import parse_datetime

RUN = settings(max_examples=60, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def test_every_date_format_is_accepted_and_names_the_same_instant_or_its_day(spec: Spec) -> None:
    moment = parse_datetime("2024-03-05T06:07:08.123Z")
    general = spec.parameters["generalField"]
    for written in date_formats(moment):
        value = {"field": "status.createdAt", "operator": "gt", "value": written}
        assert conforms(spec, general, value), written
        parsed = parse_datetime(written)
        assert parsed == moment or parsed.isoformat().startswith("2024-03-05T00:00:00"), written


def test_numbers_are_written_as_the_spec_reads_them() -> None:
    assert [number_text(value) for value in (3, 3.0, 2.5, 0.1234567)] == ["3", "3", "2.5", "0.123457"]


def test_picked_draws_one_of_the_options() -> None:
    @RUN
    @given(picked(["a", "b", "c"]))
    def draw(value: str) -> None:
        assert value in ("a", "b", "c")

    draw()
    assert "option" not in repr(picked(["option"] * 1000)), "the repr does not list the options"


def test_text_fragments_fit_their_operator() -> None:
    sample = Sample(values={"name": ("Glanzwerk GmbH",)})
    drawn: list[str] = []

    @RUN
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        drawn.append(data.draw(values_for(sample, Clause("name", "startsWith", "string"))))

    draw()
    assert any(value and "glanzwerk gmbh".startswith(value.casefold()) for value in drawn)
    assert all(value for value in drawn), "a needle is never empty"


def test_text_is_typed_as_people_type_it_within_what_the_spec_says() -> None:
    """``ß`` and ``ss`` fold alike (so they must match); a metacharacter is literal (so it narrows)."""
    written = {typing.__name__: typed("Straße", typing) for typing in TYPINGS}
    assert written["_folded"] == "Strasse" and written["upper"] == "STRASSE"
    assert written["_folded"].casefold() == "Straße".casefold() == written["upper"].casefold()
    assert written["_wildcard"] == "Str.ße" and "(" in written["_metacharacters"]


def test_text_filters_are_drawn_with_metacharacters_and_folded_spellings() -> None:
    sample = Sample(values={"name": ("Müller Straße GmbH", "Schloss Reinigung")})
    seen: list[str] = []

    @settings(max_examples=300, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(values_for(sample, Clause("name", "contains", "string")))
    def draw(value: str) -> None:
        seen.append(value)

    draw()
    assert any(
        each in "Müller Straße GmbH".replace("ß", "ss") or "ß" in each for each in seen if "ss" in each or "ß" in each
    )
    assert any(any(mark in each for mark in ".(+[*") for each in seen), "regex metacharacters are drawn"
