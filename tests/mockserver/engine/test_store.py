"""The store against the contract kit's plain oracle over the whole default dataset, and on tricky examples.

Hypothesis draws filters of every parameter (values from the data, in mixed case), sorts and pages through
``contract_tests.generation.strategies``; each page must have the oracle's total, ids in order, and records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tests.generation.sample import Sample, sample_from
from contract_tests.generation.strategies import filters, sorts
from contract_tests.generation.value_strategies import decimals, values_for
from contract_tests.judging import oracle
from customers_spec import Spec
from customers_spec.datafile import Dataset, default_dataset
from customers_spec.model import LIST_OPERATORS, Clause, SortKey
from customers_spec.terms import Condition, filter_condition, general_condition
from customers_spec.wire import Pairs
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.store import CollectionStore
from mockserver.startup.storing import store_of_dataset

FIELD_TYPES = ("string", "number", "boolean", "date", "objectid")


@pytest.fixture(scope="module")
def data(spec: Spec) -> Dataset:
    loaded = default_dataset(spec)
    assert len(loaded.customers) >= 500 and loaded.objects, "the default dataset must be the full one"
    return loaded


@pytest.fixture(scope="module")
def store(spec: Spec, data: Dataset) -> CollectionStore:
    return store_of_dataset(spec, data)


@pytest.fixture(scope="module")
def sample(spec: Spec, data: Dataset) -> Sample:
    return sample_from(spec, data.customers, related={"objects": data.objects})


def related_to(data: Dataset, condition: Condition, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The related records the oracle may look at for ``item``: only those whose ``select`` value is the item's
    key can make a relation term hold, so handing it just those keeps its answer and saves a loop over all."""
    found: list[dict[str, Any]] = []
    for term in condition.terms:
        via = term.clause.via
        if via is not None:
            found += _grouped(data, via.collection, via.select).get(item.get(term.clause.path), [])
    return found


_GROUPS: dict[tuple[int, str, str], dict[Any, list[dict[str, Any]]]] = {}


def _grouped(data: Dataset, collection: str, select: str) -> dict[Any, list[dict[str, Any]]]:
    key = (id(data), collection, select)
    if key not in _GROUPS:
        groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for record in getattr(data, collection):
            groups[record.get(select)].append(record)
        _GROUPS[key] = groups
    return _GROUPS[key]


def expected(spec: Spec, data: Dataset, conditions: Sequence[Condition], criteria: Criteria) -> list[dict]:
    """The oracle's full result: items satisfying every condition, in the criteria's order."""
    matching = [
        item
        for item in data.customers
        if all(oracle.satisfies(item, condition, related_to(data, condition, item)) for condition in conditions)
    ]
    return oracle.order(matching, criteria.sort, spec=spec)


def assert_page_is_the_oracles(spec: Spec, data: Dataset, store: CollectionStore, criteria: Criteria) -> Page:
    page = store.query(criteria)
    want = expected(spec, data, criteria.conditions, criteria)
    window = want[criteria.offset : criteria.offset + criteria.limit]
    got = orjson.loads(page.body)
    assert page.total == len(want)
    assert [item["_id"] for item in got] == [item["_id"] for item in window]
    assert got == window
    assert page.count == len(window)
    return page


def criteria_of(spec: Spec, conditions: Sequence[Condition], sort: Sequence[SortKey], paging: Pairs) -> Criteria:
    """Criteria as the HTTP layer makes them: absent limit/offset take the spec's defaults."""
    given_values = dict(paging)
    names = spec.pagination
    limit = int(given_values.get(names.limit, spec.parameters[names.limit].default))
    offset = int(given_values.get(names.offset, spec.parameters[names.offset].default or 0))
    return Criteria(tuple(conditions), spec.sort.ordered_by(sort), limit, offset)


def quietly(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy`` behind a short repr: Hypothesis writes the repr of a top-level strategy that rejects a draw
    into a note, and the kit's strategies spell out the whole spec there (a 38 kB warning, an error here)."""

    @st.composite
    def drawn(draw: st.DrawFn) -> Any:
        return draw(strategy)

    return drawn()


def pagings(spec: Spec) -> st.SearchStrategy[Pairs]:
    """``limit`` and ``offset`` (either may be absent), mostly windows that hold some of the matches."""
    names = spec.pagination
    limit = st.one_of(st.none(), st.integers(1, 12), st.sampled_from([1, 100, 1000]), st.integers(1, 1000))
    offset = st.one_of(st.none(), st.just(0), st.integers(0, 30), st.integers(0, 1100))
    return st.builds(
        lambda limit, offset: tuple(
            (name, str(value)) for name, value in ((names.limit, limit), (names.offset, offset)) if value is not None
        ),
        limit,
        offset,
    )


def general_filters_of_type(spec: Spec, sample: Sample, field_type: str) -> st.SearchStrategy[Condition]:
    """A ``generalField`` condition on a field of ``field_type``, any operator the type allows."""
    fields = sorted(path for path, type_ in spec.field_types.items() if type_ == field_type)
    operators = sorted(spec.operators_by_type[field_type])  # type: ignore[index]

    def value(clause: Clause) -> st.SearchStrategy[str]:
        fractions = field_type == "number" and clause.operator != "exists"
        single = decimals(sample, clause) if fractions else values_for(sample, clause)
        return (
            st.lists(single, min_size=1, max_size=3).map(spec.wire.join_list)
            if clause.operator in LIST_OPERATORS
            else single
        )

    clauses = st.builds(Clause, st.sampled_from(fields), st.sampled_from(operators), st.just(field_type))
    return clauses.flatmap(
        lambda clause: value(clause).map(
            lambda raw: general_condition(spec, "generalField", clause.path, clause.operator, raw)
        )
    )


@pytest.mark.parametrize("parameter", ["number", "customerHasAssignedObjectManager", "objectIds", "nameAndAddress",
                                       "status", "name", "ids"])  # fmt: skip
def test_each_filter_parameter_means_what_the_oracle_says(
    spec: Spec, data: Dataset, store: CollectionStore, sample: Sample, parameter: str
) -> None:
    assert not spec.filters[parameter].general

    @given(quietly(filters(spec, spec.filters[parameter], sample=sample)), sorts(spec, sample=sample), pagings(spec))
    def check(chosen: Any, sort: tuple[SortKey, ...], paging: Pairs) -> None:
        assert_page_is_the_oracles(spec, data, store, criteria_of(spec, [chosen.condition], sort, paging))

    check()


@pytest.mark.parametrize("field_type", FIELD_TYPES)
def test_general_field_means_what_the_oracle_says_for_every_type(
    spec: Spec, data: Dataset, store: CollectionStore, sample: Sample, field_type: str
) -> None:
    @given(quietly(general_filters_of_type(spec, sample, field_type)), sorts(spec, sample=sample), pagings(spec))
    def check(condition: Condition, sort: tuple[SortKey, ...], paging: Pairs) -> None:
        assert_page_is_the_oracles(spec, data, store, criteria_of(spec, [condition], sort, paging))

    check()


def test_combined_filters_sorts_and_pages_mean_what_the_oracle_says(
    spec: Spec, data: Dataset, store: CollectionStore, sample: Sample
) -> None:
    rules = sorted(spec.filters.values(), key=lambda rule: rule.parameter)
    one_filter = st.sampled_from(rules).flatmap(lambda rule: filters(spec, rule, sample=sample))
    conditions = st.lists(one_filter.map(lambda chosen: chosen.condition), min_size=2, max_size=4)

    @given(quietly(conditions), sorts(spec, sample=sample), pagings(spec))
    def check(chosen: list[Condition], sort: tuple[SortKey, ...], paging: Pairs) -> None:
        assert_page_is_the_oracles(spec, data, store, criteria_of(spec, chosen, sort, paging))

    check()


def test_every_single_key_sort_of_the_unfiltered_data_is_the_oracles(
    spec: Spec, data: Dataset, store: CollectionStore
) -> None:
    for path in spec.sort.fields:
        for direction in spec.sort.grammar.directions:
            criteria = Criteria((), spec.sort.effective(f"{path}:{direction}"), 1000, 0)
            assert_page_is_the_oracles(spec, data, store, criteria)


def test_repeated_and_paged_queries_are_served_identically_from_the_cache(
    spec: Spec, data: Dataset, store: CollectionStore
) -> None:
    condition = filter_condition(spec.filters["nameAndAddress"], "e")
    keys = spec.sort.effective("address.city:-1,name:1")
    first = store.query(Criteria((condition,), keys, 50, 100))
    again = store.query(Criteria((condition,), keys, 50, 100))  # asked again: ordered whole and kept
    thrice = store.query(Criteria((condition,), keys, 50, 100))  # a slice of the kept result
    uncached = store_of_dataset(spec, data, cache_size=0).query(Criteria((condition,), keys, 50, 100))
    assert first == again == thrice == uncached
    assert_page_is_the_oracles(spec, data, store, Criteria((condition,), keys, 50, 150))


def test_a_record_is_found_by_its_id_and_its_body_is_the_page_s_bytes(store: CollectionStore, data: Dataset) -> None:
    page = store.query(Criteria((), (SortKey("_id"),), len(data.customers), 0)).body
    for customer in data.customers[:50]:
        position = store.position("_id", customer["_id"])
        assert position is not None
        body = store.body(position)
        assert orjson.loads(body) == customer and body in page
        assert store.position("number", str(customer["number"])) == position  # by another field: a scan
    assert store.position("_id", "f" * 24) is None
    assert store.position("number", "not a number") is None
