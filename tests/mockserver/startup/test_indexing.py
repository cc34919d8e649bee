"""The index assembled from chunks: positions set by the tie-breaker, relations mapped onto them, and the same
index whether its pieces were built here or by worker processes."""

from __future__ import annotations

import os
from typing import Any

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset
from mockserver.startup.chunks import IndexParts
from mockserver.startup.indexing import assemble_index, index_of_dataset
from mockserver.startup.parallel import Workers
from tests.mockserver.conftest import chosen


def test_positions_follow_the_tie_breaker_and_relations_map_to_them(spec: Spec) -> None:
    ids = ["c" * 24, "a" * 24, "b" * 24]
    customers = [{"_id": _id, "number": number} for number, _id in enumerate(ids)]
    objects: list[dict[str, Any]] = [
        {"_id": "1" * 24, "customerId": "b" * 24, "objectManagerId": "9" * 24},
        {"_id": "2" * 24, "customerId": "c" * 24, "objectManagerId": None},
        {"_id": "3" * 24, "customerId": "b" * 24, "objectManagerId": "9" * 24},
    ]
    index = index_of_dataset(spec, Dataset(customers, objects))
    assert index.unique_tie_breaker and index.size == 3
    ids_column = index.columns["_id"]
    assert [ids_column.uniques[rank - 1] for rank in ids_column.ranks] == sorted(ids)
    managers = spec.filters["customerHasAssignedObjectManager"].clauses[0]
    assert chosen(index.relation(managers).select("in", ("9" * 24,))) == {1}
    sites = spec.filters["objectIds"].clauses[0]
    assert chosen(index.relation(sites).select("in", ("2" * 24, "3" * 24))) == {1, 2}
    assert chosen(index.relation(managers).select("exists", False)) == {2}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork-only: elsewhere Workers runs the map in-process")
def test_pieces_built_by_worker_processes_make_the_index_built_here(spec: Spec, dataset: Dataset) -> None:
    here = index_of_dataset(spec, dataset)
    parts = IndexParts(spec)
    parts.add_dataset(dataset)
    with Workers(2) as workers:
        there, order = assemble_index(parts, workers)
    assert (there.size, there.unique_tie_breaker) == (here.size, here.unique_tie_breaker) == (len(order), True)
    for path, column in here.columns.items():
        assert list(there.columns[path].uniques) == list(column.uniques), path
        assert there.columns[path].ranks.tolist() == column.ranks.tolist(), path
    for rule in spec.filters.values():
        for clause in (clause for clause in rule.clauses if clause.via is not None):
            assert chosen(there.relation(clause).select("exists", True)) == chosen(
                here.relation(clause).select("exists", True)
            )
    assert not parts.records and not parts.related  # the parts were emptied as they were merged
