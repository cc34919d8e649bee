"""Conditions as masks: the terms of one condition are or'ed, conditions and'ed."""

from __future__ import annotations

import numpy as np
import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.terms import filter_condition, general_condition
from mockserver.engine.columns import combined_texts
from mockserver.engine.index import CollectionIndex
from mockserver.engine.matchers import condition_mask, conditions_mask
from mockserver.startup.indexing import index_of_dataset


@pytest.fixture(scope="module")
def index(spec: Spec) -> CollectionIndex:
    def customer(position: int, name: str, city: str) -> dict:
        address = {"street": "Weg", "zip": "1", "city": city, "country": "DE"}
        return {"_id": f"{position:024x}", "number": position + 1, "name": name, "address": address}

    return index_of_dataset(spec, Dataset([customer(0, "Ab", "Cd"), customer(1, "Xy", "Köln"), customer(2, "7", "AB")]))


def chosen(mask: np.ndarray | None) -> set[int]:
    assert mask is not None
    return set(np.flatnonzero(mask).tolist())


def test_one_needle_is_sought_in_every_field_of_the_filter(spec: Spec, index: CollectionIndex) -> None:
    assert chosen(condition_mask(index, filter_condition(spec.filters["nameAndAddress"], "AB"))) == {0, 2}
    assert chosen(condition_mask(index, filter_condition(spec.filters["nameAndAddress"], "KÖ"))) == {1}


def test_one_needle_in_many_fields_searches_their_combined_index(spec: Spec, index: CollectionIndex) -> None:
    paths = frozenset(clause.path for clause in spec.filters["nameAndAddress"].clauses)
    combined = index.combined(paths)
    assert combined is not None and combined.count == index.size
    assert combined.matching("contains", "köln").tolist() == [1]
    assert combined_texts([index.column("name"), index.column("address.city")]) == ["ab\x00cd", "xy\x00köln", "7\x00ab"]


def test_a_needle_never_spans_two_fields(spec: Spec, index: CollectionIndex) -> None:
    assert chosen(condition_mask(index, filter_condition(spec.filters["nameAndAddress"], "b\x00c"))) == set()
    assert chosen(condition_mask(index, filter_condition(spec.filters["nameAndAddress"], "bcd"))) == set()


def test_indexed_terms_and_text_terms_of_one_condition_are_or_ed(spec: Spec, index: CollectionIndex) -> None:
    assert chosen(condition_mask(index, filter_condition(spec.filters["name"], "1"))) == {0}  # number 1
    assert chosen(condition_mask(index, filter_condition(spec.filters["name"], "7"))) == {2}  # name "7"


def test_conditions_are_and_ed(spec: Spec, index: CollectionIndex) -> None:
    number_from_2 = general_condition(spec, "generalField", "number", "gte", "2")
    text = filter_condition(spec.filters["name"], "y")
    assert chosen(conditions_mask(index, [number_from_2, text])) == {1}
    assert conditions_mask(index, []) is None


def test_a_text_operator_needs_a_string(spec: Spec, index: CollectionIndex) -> None:
    condition = filter_condition(spec.filters["nameAndAddress"], "ab")
    term = condition.terms[0]
    broken = type(condition)(condition.parameter, (type(term)(term.clause, 5),))
    with pytest.raises(ValueError, match="needs a string"):
        condition_mask(index, broken)
