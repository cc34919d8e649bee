"""Why a value is invalid: the compiled schema's verdict, and its reason worded and cut short."""

from __future__ import annotations

import pytest
from jsonschema.exceptions import best_match

from customers_spec import Spec
from mockserver.http.reasons import CheckedSchema, InvalidValue, clipped, shown


@pytest.mark.parametrize("value", ["name:1", "name:1\n", "name:2", "0", "1001,1002\n", "x" * 300])
def test_the_fast_check_gives_the_python_validators_verdict(spec: Spec, value: str) -> None:
    """jsonschema_rs only short-cuts the values it accepts; where it rejects one (a trailing newline: its ``$``
    is stricter than Python's), the pure-Python validator has the last word, as before the fast path."""
    for name, parameter in spec.parameters.items():
        checked = CheckedSchema(spec, parameter.schema)
        slow = best_match(checked._validator.iter_errors(value))
        try:
            checked.check(value)
        except Exception:
            assert slow is not None, (name, value)
        else:
            assert slow is None, (name, value)


def test_values_are_quoted_and_cut_short_in_reasons() -> None:
    assert shown("ab") == "'ab'" and shown(5) == "5"
    assert shown("x" * 100) == f"'{'x' * 59}… (100 characters)"
    assert clipped("r" * 400) == "r" * 400
    assert clipped("r" * 401) == "r" * 399 + "…"


def test_a_violation_inside_a_deep_object_names_its_key(spec: Spec) -> None:
    checked = CheckedSchema(spec, spec.parameters["generalField"].schema)
    checked.check({"field": "name", "operator": "eq", "value": "x"})
    with pytest.raises(InvalidValue) as caught:
        checked.check({"field": "name", "operator": "eq", "value": "x" * 3000})
    assert caught.value.key == "value"
    assert caught.value.reason == "must be at most 200 characters long, got 3000"
