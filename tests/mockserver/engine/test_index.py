"""The finished index: its lookups, and relations marking the customers who own a matching related record."""

from __future__ import annotations

import numpy as np
import pytest

from customers_spec import Spec
from mockserver.engine.columns import Column
from mockserver.engine.index import CollectionIndex, RelationIndex, relation_key
from tests.mockserver.conftest import chosen


def test_a_relation_marks_the_owners_of_every_matching_related_record() -> None:
    managers = Column("objectid", ["a" * 24, "b" * 24, None])  # three sites' managers
    owners = np.array([0, 2, 1, 2], dtype=np.int32)  # site 0 of customers 0 and 2, site 1 of 1, site 2 of 2
    relation = RelationIndex(managers, owners, np.array([2, 1, 1], dtype=np.int64), size=4)
    assert chosen(relation.select("eq", "a" * 24)) == {0, 2}
    assert chosen(relation.select("in", ("a" * 24, "b" * 24))) == {0, 1, 2}
    assert chosen(relation.select("exists", False)) == {2}
    assert chosen(relation.select("eq", "c" * 24)) == set()


def test_what_was_not_built_is_refused_by_name(spec: Spec) -> None:
    column = Column("objectid", ["a" * 24])
    index = CollectionIndex({"_id": column}, {}, {}, size=1, unique_tie_breaker=True)
    assert index.column("_id") is column
    with pytest.raises(ValueError, match="'name' is not a filterable path"):
        index.column("name")
    sites = spec.filters["objectIds"].clauses[0]
    with pytest.raises(ValueError, match="no index for the relation of '_id'"):
        index.relation(sites)
    assert index.combined(frozenset({"name", "address.city"})) is None
    assert relation_key(sites) == (sites.path, sites.type, sites.via)
