"""The sample: distinct values per filterable path, in a stable order, and the related ids a dataset names."""

from __future__ import annotations

from typing import Any

from contract_tests.generation.sample import MAX_VALUES_PER_PATH, Sample, sample_from
from customers_spec import Spec


def test_values_are_distinct_sorted_and_leave_out_nulls_and_structures(spec: Spec) -> None:
    items = [
        {"name": "b", "number": 2, "contactPerson": None},
        {"name": "a", "number": 1, "address": {"city": "X"}},
        {"name": "b", "number": 10},
    ]
    sample = sample_from(spec, items, total=30)
    assert sample.of("name") == ("a", "b") and sample.of("number") == (1, 10, 2)  # by their text, stably
    assert sample.of("contactPerson") == () and sample.of("address.city") == ("X",)
    assert sample.total == 30 and sample.records == tuple(items)
    assert sample_from(spec, items).total == 3


def test_related_records_give_the_ids_relation_filters_match_on(spec: Spec) -> None:
    objects: list[dict[str, Any]] = [{"_id": "o1", "objectManagerId": "m1"}, {"_id": "o2", "objectManagerId": None}]
    sample = sample_from(spec, [], related={"objects": objects})
    assert sample.of_related("objects", "_id") == ("o1", "o2")
    assert sample.of_related("objects", "objectManagerId") == ("m1",)
    assert Sample().of_related("objects", "_id") == ()


def test_a_path_keeps_at_most_its_share_of_values_spread_over_the_range(spec: Spec) -> None:
    items = [{"number": number} for number in range(3 * MAX_VALUES_PER_PATH)]
    kept = sample_from(spec, items).of("number")
    assert len(kept) == MAX_VALUES_PER_PATH and kept[0] == 0 and kept[-1] != MAX_VALUES_PER_PATH - 1
