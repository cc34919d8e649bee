"""Engine faults: a store that answers like the mock's until a fault rewrites, retests or reorders its matches."""

from __future__ import annotations

import orjson
import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.terms import filter_condition
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.engine.criteria import Criteria
from mockserver.engine.store import CollectionStore
from mockserver.startup.storing import store_of_dataset
from selftest.engine import Engine, FaultyStore, records_by_position, store_for, store_with


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(60, 3)


def ids(store: CollectionStore, criteria: Criteria) -> tuple[int, list[str]]:
    page = store.query(criteria)
    return page.total, [customer["_id"] for customer in orjson.loads(page.body)]


def criteria_of(spec: Spec, needle: str | None = None, *, limit: int = 100) -> Criteria:
    conditions = () if needle is None else (filter_condition(spec.filters["nameAndAddress"], needle),)
    return Criteria(conditions, spec.sort.default, limit, 0)


def test_records_by_position_are_in_the_tie_breakers_order(spec: Spec, dataset: Dataset) -> None:
    records = records_by_position(spec, dataset.customers)
    assert [record["_id"] for record in records] == sorted(customer["_id"] for customer in dataset.customers)


def test_without_a_fault_the_store_answers_as_the_mocks(spec: Spec, dataset: Dataset) -> None:
    assert store_for(None) is store_of_dataset
    faultless, mock = store_for(Engine())(spec, dataset), store_of_dataset(spec, dataset)
    assert isinstance(faultless, FaultyStore)
    for criteria in (criteria_of(spec), criteria_of(spec, "e", limit=7), criteria_of(spec, "zzzz")):
        assert ids(faultless, criteria) == ids(mock, criteria)
        assert ids(faultless, criteria) == ids(mock, criteria)  # asked again: from the ordered, cached matches


def test_each_kind_of_fault_changes_the_matches_the_store_pages(spec: Spec, dataset: Dataset) -> None:
    everyone = criteria_of(spec)
    nobody = criteria_of(spec, "no customer has this")
    total, in_order = ids(store_of_dataset(spec, dataset), everyone)
    ignored = store_for(Engine(rewrite=lambda condition: ()))(spec, dataset)
    assert ids(ignored, nobody) == (total, in_order)  # the filter dropped
    always = store_for(Engine(predicate=lambda condition, term: lambda record: True))(spec, dataset)
    assert ids(always, nobody) == (total, in_order)  # a wrong test that holds for every record
    backwards = store_for(Engine(reorder=lambda store, positions, keys: positions[::-1]))(spec, dataset)
    assert ids(backwards, everyone) == (total, in_order[::-1])
    assert ids(store_of_dataset(spec, dataset), nobody) == (0, [])


def test_apps_made_while_open_answer_from_the_faulty_store(dataset: Dataset) -> None:
    fault = Engine(reorder=lambda store, positions, keys: positions[::-1])
    with store_with(fault):
        inside = create_app(Config(log_requests=False), dataset=dataset)
    after = create_app(Config(log_requests=False), dataset=dataset)
    assert isinstance(inside.extensions["mockserver.store"], FaultyStore)
    assert not isinstance(after.extensions["mockserver.store"], FaultyStore)
