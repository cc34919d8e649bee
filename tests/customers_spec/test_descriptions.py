"""What the spec's descriptions claim, read against its schemas and extensions wherever a claim is checkable.

A description is what a person reads; the schema and the ``x-`` extensions are what the tools read. Where
the two can disagree in a way a program can see (a bound, a default, a separator, an example, how a value
may be written), this test makes them agree.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from customers_spec import Spec
from customers_spec.schemas import component, schema_for_value
from customers_spec.values import parse_datetime

BOUND_CLAIMS = {
    r"\bat most (\d+)": ("maximum", "maxItems", "maxLength"),
    r"\bat least (\d+)": ("minimum", "minItems", "minLength"),
    r"\bup to (\d+)": ("maximum", "maxItems", "maxLength"),
    r"\bdefaults? (?:is |to |of )?`?(\d+)`?": ("default",),
}


def claimed_numbers(description: str) -> list[tuple[str, int, tuple[str, ...]]]:
    return [
        (pattern, int(match.group(1)), keywords)
        for pattern, keywords in BOUND_CLAIMS.items()
        for match in re.finditer(pattern, description, flags=re.IGNORECASE)
    ]


def test_numbers_claimed_by_parameter_descriptions_are_the_schemas(spec: Spec) -> None:
    checked = 0
    for parameter in spec.parameters.values():
        for pattern, number, keywords in claimed_numbers(parameter.description):
            declared = [parameter.schema.get(keyword) for keyword in keywords]
            assert number in declared, f"{parameter.name}: '{pattern}' claims {number}; the schema says {declared}"
            checked += 1
    assert checked >= 4  # limit's and offset's bounds and defaults, at least


def test_the_claim_reader_finds_what_it_looks_for() -> None:
    """So that the test above cannot pass by reading nothing."""
    found = claimed_numbers("Return at most 1000 items; the default is `100`.")
    assert [(number, keywords[0]) for _, number, keywords in found] == [(1000, "maximum"), (100, "default")]


def test_repeated_and_comma_separated_claims_match_the_style(spec: Spec) -> None:
    arrays = [parameter for parameter in spec.parameters.values() if parameter.is_array]
    assert arrays
    for parameter in arrays:
        text = " ".join(parameter.description.split())
        assert ("comma-separated" in text) == parameter.comma_separated, parameter.name
        assert ("Repeated" in text) == (parameter.style == "form" and parameter.explode), parameter.name
        assert f"{parameter.name}=a{spec.wire.list_separator}b" in text or not parameter.comma_separated


def test_list_operators_are_described_with_the_spec_separator(spec: Spec) -> None:
    operators = spec.document["components"]["x-operators"]
    assert spec.wire.list_separator == ","  # the descriptions below say "comma-separated"
    for operator in ("in", "nin"):
        assert "comma-separated" in operators[operator]


def test_sort_description_states_the_x_sort_default_and_tie_breaker(spec: Spec) -> None:
    text = " ".join(spec.parameters[spec.sort.parameter].description.split())
    default = spec.sort.grammar.write(spec.sort.default)
    assert f"Without `sort` the order is `{default}`" in text
    tie = spec.sort.tie_breaker
    assert f"Ties are always broken by `{tie.path}` {'descending' if tie.descending else 'ascending'}" in text
    examples = [written for written in re.findall(r"`([\w.]+:-?1)`", text) if not written.startswith("path:")]
    assert examples
    for written in examples:
        spec.sort.parse(written)  # every example key in the description is one the grammar accepts


def test_every_parameter_example_is_valid_for_its_schema(spec: Spec) -> None:
    examples = {name: raw["example"] for name, raw in _declared(spec).items() if "example" in raw}
    assert examples
    for name, example in examples.items():
        assert schema_for_value(spec, spec.parameters[name].schema).is_valid(example), name


@pytest.mark.parametrize(
    ("written", "meant"),
    [("2023-05-02T05:50:01", "2023-05-02T05:50:01+00:00"), ("2024-01-15", "2024-01-15T00:00:00+00:00")],
)
def test_date_values_are_what_generalfield_describes(spec: Spec, written: str, meant: str) -> None:
    text = " ".join(spec.parameters["generalField"].description.split())
    assert "a date-time without an offset is UTC" in text
    assert "a full date (midnight UTC)" in text
    assert component(spec, "DateValue").is_valid(written)
    assert parse_datetime(written).isoformat() == meant


def _declared(spec: Spec) -> dict[str, dict[str, Any]]:
    parameters = spec.document["components"]["parameters"]
    return {raw["name"]: raw for raw in parameters.values()}
