"""What a run could not reach is said: filters without values from the data, areas left short."""

from __future__ import annotations

from contract_tests.generation.coverage import AreaRun, area_gaps, data_gaps
from contract_tests.generation.sample import Sample
from customers_spec import Spec


def test_an_empty_server_and_unknown_related_ids_are_gaps(spec: Spec) -> None:
    assert data_gaps(spec, Sample(), ["valid"]) == [
        "the server has no customers: every filter was judged on empty results only"
    ]
    gaps = data_gaps(spec, Sample(values={"name": ("a",)}, total=1), ["valid"])
    assert any(gap.startswith("filter objectIds: no id in objects is known (give --data)") for gap in gaps)
    assert any(gap.startswith("generalField: no value in the sample for") for gap in gaps)
    assert data_gaps(spec, Sample(), ["invalid", "no_key"]) == [], "no valid request, no filter to judge"


def test_areas_that_generated_too_little_are_named() -> None:
    areas = [AreaRun("a", 5, 5, 5), AreaRun("b", 5, 2, 2), AreaRun("c", 5, unsatisfiable=True), AreaRun("d", 5, 2, 1)]
    assert area_gaps(areas) == [
        "b: only 2 of 5 requests could be generated",
        "c: no valid request could be generated from the data",
    ]
    assert areas[0].reached and not areas[2].reached
