"""New customers: valid, numbered after the others, of a fresh id, dated by the write's instant."""

from __future__ import annotations

import random

from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.schemas import component
from selftest.sqlstaging.fresh import FIRST_MOMENT, Fresh


def test_a_new_customer_is_valid_numbered_next_and_fresh(spec: Spec, thousand: Dataset) -> None:
    fresh = Fresh(spec, thousand.customers, seed=1, pool_size=50)
    draw = random.Random(0)
    made = [fresh.customer(draw, FIRST_MOMENT + step) for step in range(3)]
    last = max(record["number"] for record in thousand.customers)
    assert [record["number"] for record in made] == [last + 1, last + 2, last + 3]
    assert len({record["_id"] for record in made} | {record["_id"] for record in thousand.customers}) == 1003
    for record in made:
        assert component(spec, "Customer").is_valid(record)
        assert record["status"]["createdAt"].startswith("2025-10-02")
    assert fresh.name(draw, made[0]["name"]) != made[0]["name"]
