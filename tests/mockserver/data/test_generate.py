"""Datasets made chunk by chunk: deterministic per seed whatever the order of the chunks, any size."""

from __future__ import annotations

import pytest

from customers_spec.datafile import Dataset
from mockserver.data.customers import FIRST_NUMBER
from mockserver.data.generate import CHUNK, GenerationPlan, generate_dataset


def test_the_shipped_dataset_has_1000_customers_numbered_from_1001(shipped: Dataset) -> None:
    assert [customer["number"] for customer in shipped.customers] == list(range(FIRST_NUMBER, FIRST_NUMBER + 1000))


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    assert generate_dataset(200, 5) == generate_dataset(200, 5)
    assert generate_dataset(200, 5).customers != generate_dataset(200, 6).customers


def test_progress_reports_every_customer_once() -> None:
    reported: list[int] = []
    generate_dataset(2500, 1, progress=reported.append)
    assert sum(reported) == 2500 and len(reported) == 3


def test_edge_counts() -> None:
    assert generate_dataset(0, 1) == Dataset(customers=[], objects=[])
    (single,) = generate_dataset(1, 1).customers
    assert single["invoiceCCRecipientIds"] == [] and single.get("invoiceRecipientId") is None
    with pytest.raises(ValueError, match="count"):
        generate_dataset(-1, 1)


def test_chunks_made_in_any_order_make_the_seeds_dataset() -> None:
    plan = GenerationPlan(CHUNK + 10, 4)
    backwards = [plan.chunk(number) for number in reversed(range(plan.chunks))]
    whole = generate_dataset(CHUNK + 10, 4)
    assert plan.chunks == 2
    assert [customer for chunk in reversed(backwards) for customer in chunk.customers] == whole.customers
    assert [site for chunk in reversed(backwards) for site in chunk.objects] == whole.objects
