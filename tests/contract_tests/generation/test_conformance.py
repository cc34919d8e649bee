"""Whether a written value is one the spec allows: query text is read as the schema's type first."""

from __future__ import annotations

from contract_tests.generation.conformance import conforms
from customers_spec import Spec


def test_integers_are_read_from_text_before_their_bounds_are_checked(spec: Spec) -> None:
    limit = spec.parameters["limit"]
    assert conforms(spec, limit, "5") and conforms(spec, limit, "1000")
    assert not conforms(spec, limit, "0") and not conforms(spec, limit, "1001") and not conforms(spec, limit, "5.0")


def test_arrays_patterns_and_deep_objects_follow_their_schemas(spec: Spec) -> None:
    ids = spec.parameters["ids"]
    assert conforms(spec, ids, ["65a1b2c3d4e5f6a7b8c9d0e1"]) and not conforms(spec, ids, ["xyz"])
    assert conforms(spec, spec.parameters["status"], "1,2") and not conforms(spec, spec.parameters["status"], "a")
    general = spec.parameters["generalField"]
    assert conforms(spec, general, {"field": "name", "operator": "eq", "value": "x"})
    assert not conforms(spec, general, {"field": "name", "operator": "eq"})
