"""Chunks' summaries and their merge: read in one pass, ranked per chunk, merged as the whole would rank."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from customers_spec import Spec
from customers_spec.datafile import default_dataset
from customers_spec.values import get_path
from mockserver.engine.columns import Ranked, dense_ranks, ranked
from mockserver.engine.packed import PackedStrings
from mockserver.startup.chunks import merge_ranked, owners_by_rank, tie_breaker_order, values_at


def test_values_at_reads_what_get_path_reads(spec: Spec) -> None:
    records = [*default_dataset(spec).customers[:200], {"status": None, "contact": "odd"}, {}]
    for path in spec.field_types:
        assert values_at(records, path) == [get_path(record, path) for record in records], path
    assert values_at([{"a": {"b": {"c": 1}}}, {"a": {"b": 2}}], "a.b.c") == [1, None]


def test_tie_breaker_order_puts_the_records_in_the_order_of_their_positions(spec: Spec) -> None:
    ids = ["c" * 24, "a" * 24, "b" * 24]
    customers = [{"_id": _id, "number": number} for number, _id in enumerate(ids)]
    order = tie_breaker_order(customers, spec.sort.tie_breaker, "objectid")
    assert [customers[index]["_id"] for index in order] == sorted(ids)


def test_merged_chunks_rank_as_the_whole_would() -> None:
    chunks: list[list[str | None]] = [["b", None, "a"], ["c", "a"], [], ["b", "é"]]
    whole = ranked([value for chunk in chunks for value in chunk])
    rankings: list[Callable[[Sequence[Any]], Ranked]] = [ranked, dense_ranks]  # distinct values listed or packed
    for rank in rankings:
        uniques, ranks = merge_ranked([rank(chunk) for chunk in chunks])
        assert list(uniques) == whole[0] and ranks.tolist() == whole[1].tolist()
    assert isinstance(dense_ranks(chunks[0])[0], PackedStrings)
    numbers = merge_ranked([ranked([2, 1]), ranked([1.0, 3])])
    assert numbers[0] == [1, 2, 3] and type(numbers[0][0]) is int  # the first copy of equal values stays
    assert numbers[1].tolist() == [2, 1, 1, 3]
    assert merge_ranked([])[1].tolist() == []


def test_owners_by_rank_lists_the_customers_each_related_record_names() -> None:
    customer_ids = ranked(["c1", "c2", "c3", "c1"])  # by position; ids need not be unique here
    named = ranked(["c1", "zz", "c2"])  # three related records, each naming a customer id
    owners, counts = owners_by_rank(customer_ids, named)
    assert counts.tolist() == [2, 0, 1]
    assert owners.tolist() == [0, 3, 1]


def test_owners_by_rank_skips_the_customers_without_the_value() -> None:
    """Customers without the path value rank 0 and sort first: the owners of rank 1 start after them."""
    customer_ids = ranked(["c1", "c2", None, "c1"])
    owners, counts = owners_by_rank(customer_ids, ranked(["c1", "zz", "c2"]))
    assert counts.tolist() == [2, 0, 1]
    assert owners.tolist() == [0, 3, 1]
    owners, counts = owners_by_rank(ranked([None, None]), ranked(["c1", None]))
    assert owners.tolist() == [] and counts.tolist() == [0, 0]
