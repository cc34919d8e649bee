"""Full orders and the two ways of ordering a result (placing by a full order, sorting by ranks) agree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from customers_spec import SortKey, Spec
from customers_spec.datafile import Dataset
from mockserver.engine.index import CollectionIndex
from mockserver.engine.ordering import Orderings
from mockserver.startup.indexing import index_of_dataset

ID, ID_DOWN = SortKey("_id"), SortKey("_id", descending=True)
NAME, NUMBER_DOWN = SortKey("name"), SortKey("number", descending=True)


@pytest.fixture(scope="module")
def index(spec: Spec) -> CollectionIndex:
    names = ["b", None, "a", "b", "C", None, "a", "é", "b", "A"]
    customers = [
        {"_id": f"{position:024x}", "number": position % 4, **({"name": name} if name else {})}
        for position, name in enumerate(names)
    ]
    return index_of_dataset(spec, Dataset(customers))


@pytest.fixture(scope="module")
def orderings(spec: Spec, index: CollectionIndex) -> Orderings:
    built = Orderings(index.columns, index.size, spec.sort.tie_breaker, index.unique_tie_breaker)
    built.prebuild(spec.sort.fields)
    return built


def test_keys_after_a_unique_tie_breaker_never_decide(orderings: Orderings) -> None:
    assert orderings.canonical((NAME, ID)) == (NAME,)
    assert orderings.canonical((NAME, ID, NUMBER_DOWN)) == (NAME,)
    assert orderings.canonical((ID_DOWN, NAME)) == (ID_DOWN,)
    assert orderings.canonical((ID,)) == ()


def test_multi_key_orders_are_built_on_demand_and_kept(spec: Spec, index: CollectionIndex) -> None:
    orderings = Orderings(index.columns, index.size, spec.sort.tie_breaker, index.unique_tie_breaker)
    assert orderings.full((NAME, NUMBER_DOWN), build=False) is None
    built = orderings.full((NAME, NUMBER_DOWN))
    assert built is not None and orderings.full((NAME, NUMBER_DOWN), build=False) is built


def test_a_tie_breaker_that_is_not_unique_keeps_the_keys_after_it(spec: Spec, index: CollectionIndex) -> None:
    orderings = Orderings(index.columns, index.size, spec.sort.tie_breaker, unique_tie_breaker=False)
    assert orderings.canonical((NAME, ID, NUMBER_DOWN, ID)) == (NAME, ID, NUMBER_DOWN)


def full(orderings: Orderings, keys: tuple[SortKey, ...]) -> list[int]:
    found = orderings.full(keys)
    assert found is not None
    return found.tolist()


def test_full_orders_sort_by_ranks_with_missing_lowest(orderings: Orderings) -> None:
    assert full(orderings, (NAME,)) == [1, 5, 9, 4, 2, 6, 0, 3, 8, 7]  # None, None, A, C, a, a, b, b, b, é
    assert full(orderings, (SortKey("name", descending=True),)) == [7, 0, 3, 8, 2, 6, 4, 9, 1, 5]
    assert full(orderings, (NUMBER_DOWN, NAME)) == [3, 7, 2, 6, 1, 5, 9, 4, 0, 8]
    assert full(orderings, (SortKey("vatNumber"), NAME)) == full(orderings, (NAME,))


@given(
    st.frozensets(st.integers(0, 9)),
    st.booleans(),
    st.lists(st.sampled_from([NAME, NUMBER_DOWN, SortKey("number"), ID_DOWN]), max_size=3, unique=True),
)
def test_picking_and_sorting_a_result_agree(orderings: Orderings, chosen: frozenset[int], negated: bool,
                                            keys: list[SortKey]) -> None:  # fmt: skip
    selection = np.array([(position in chosen) != negated for position in range(10)])
    canonical = orderings.canonical(keys)
    expected = [position for position in full(orderings, canonical) if selection[position]]
    assert orderings.arrange(selection, canonical).tolist() == expected
    assert orderings.sort(np.flatnonzero(selection).astype(np.int32), canonical).tolist() == expected
    assert orderings.arrange(None, canonical).tolist() == full(orderings, canonical)


@given(
    st.frozensets(st.integers(0, 9)),
    st.lists(st.sampled_from([NAME, NUMBER_DOWN, SortKey("number"), ID_DOWN]), max_size=3, unique=True),
    st.integers(0, 12),
    st.integers(0, 12),
)
def test_a_window_is_the_slice_of_the_arranged_result(
    orderings: Orderings, chosen: frozenset[int], keys: list[SortKey], start: int, length: int
) -> None:
    selection = np.array([position in chosen for position in range(10)])
    canonical = orderings.canonical(keys)
    window, count = orderings.window(selection, canonical, start, start + length)
    assert window.tolist() == orderings.arrange(selection, canonical)[start : start + length].tolist()
    assert count == len(chosen)
    everything, size = orderings.window(None, canonical, start, start + length)
    assert everything.tolist() == full(orderings, canonical)[start : start + length] and size == 10


def test_walking_an_order_finds_the_window_wherever_the_matches_lie(spec: Spec) -> None:
    """Matches bunched at the end of the order make the walk read ever longer stretches until it has them."""
    size = 5000
    customers = [{"_id": f"{position:024x}", "number": position % 97} for position in range(size)]
    index = index_of_dataset(spec, Dataset(customers))
    orderings = Orderings(index.columns, index.size, spec.sort.tie_breaker, index.unique_tie_breaker)
    orderings.prebuild(["number"])
    keys = orderings.canonical((SortKey("number"),))
    for selection in [index.columns["number"].ranks > 90, index.columns["number"].ranks % 3 == 0]:
        arranged = orderings.arrange(selection, keys)
        for start, stop in [(0, 10), (0, 1000), (len(arranged) - 5, len(arranged) + 5), (7, 2000)]:
            window, count = orderings.window(selection, keys, start, stop)
            assert window.tolist() == arranged[start:stop].tolist() and count == len(arranged)
