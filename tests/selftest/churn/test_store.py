"""The churning store against the mock's own store built afresh on the same current customers: the same totals,
the same pages byte for byte, for filters, sorts and pages drawn by the kit's strategies; with an engine fault,
the same wrong answers; and one state per request while a writer runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tests.generation.sample import Sample, sample_from
from contract_tests.generation.strategies import filters, sorts
from customers_spec import SortKey, Spec
from customers_spec.datafile import Dataset
from customers_spec.terms import Condition, filter_condition
from mockserver.engine.criteria import Criteria
from mockserver.startup.storing import store_of_dataset
from selftest.churn import ChurningStore, Writer
from selftest.churn.store import Base, Snapshot
from selftest.engine import store_for
from selftest.faults import ENGINE_FAULTS, Fault

Build = Callable[..., ChurningStore]


def current(store: ChurningStore, dataset: Dataset) -> Dataset:
    return Dataset(store.snapshot().customers(), dataset.objects)


def sample_of(spec: Spec, store: ChurningStore, dataset: Dataset) -> Sample:
    """Values of the current customers (added and changed ones too), so that filters meet the overlay."""
    return sample_from(spec, store.snapshot().customers(), related={"objects": dataset.objects})


def criteria_of(
    spec: Spec, conditions: list[Condition], sort: tuple[SortKey, ...], limit: int, offset: int
) -> Criteria:
    return Criteria(tuple(conditions), spec.sort.ordered_by(sort), limit, offset)


def queries(spec: Spec, sample: Sample) -> st.SearchStrategy[Criteria]:
    """Zero to three filters of any parameter, a sort, and a window: small pages and the whole result."""
    rules = sorted(spec.filters.values(), key=lambda rule: rule.parameter)
    one_filter = st.sampled_from(rules).flatmap(lambda rule: filters(spec, rule, sample=sample))
    conditions = st.lists(one_filter.map(lambda chosen: chosen.condition), max_size=3)
    limits = st.one_of(st.integers(1, 12), st.sampled_from([100, 1000]))
    offsets = st.one_of(st.just(0), st.integers(0, 40), st.integers(0, 400))
    return st.builds(lambda *parts: criteria_of(spec, *parts), conditions, sorts(spec, sample=sample), limits, offsets)


def quietly(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A short repr: Hypothesis notes the repr of a strategy that rejects a draw, and the kit's spell out the spec."""
    return st.composite(lambda draw: draw(strategy))()


def test_the_writes_left_an_overlay_and_hidden_customers(churned: Build) -> None:
    snapshot = churned().snapshot()
    assert len(snapshot.overlay) > 100 and snapshot.hidden_count > 100, "the tests below must meet both"


def test_pages_are_those_of_a_store_built_on_the_current_customers(
    spec: Spec, churned: Build, small_dataset: Dataset
) -> None:
    store = churned()
    fresh = store_of_dataset(spec, current(store, small_dataset))

    @settings(max_examples=150)
    @given(quietly(queries(spec, sample_of(spec, store, small_dataset))))
    def check(criteria: Criteria) -> None:
        assert store.query(criteria) == fresh.query(criteria)

    check()


def test_every_sort_of_the_unfiltered_customers_is_the_fresh_stores(
    spec: Spec, churned: Build, small_dataset: Dataset
) -> None:
    store = churned()
    fresh = store_of_dataset(spec, current(store, small_dataset))
    for path in spec.sort.fields:
        for direction in spec.sort.grammar.directions:
            for offset, limit in ((0, 1000), (0, 7), (150, 40), (len(store) - 3, 10)):
                criteria = Criteria((), spec.sort.effective(f"{path}:{direction}"), limit, offset)
                assert store.query(criteria) == fresh.query(criteria), (path, direction, offset)


def test_a_compacted_store_answers_as_before(spec: Spec, churned: Build, small_dataset: Dataset) -> None:
    store = churned()
    keys = spec.sort.effective("status.lastModifiedAt:-1,name:1")
    asked = [Criteria((), keys, 1000, 0), Criteria((filter_condition(spec.filters["status"], "1,2"),), keys, 20, 30)]
    before = [store.query(criteria) for criteria in asked]
    writes = store.snapshot().writes
    store.compact()
    assert not store.snapshot().overlay and store.snapshot().hidden_count == 0
    assert [store.query(criteria) for criteria in asked] == before
    assert store.snapshot().writes == writes and store.compactions == 1


def test_writes_made_during_a_compaction_are_replayed_on_the_new_base(
    spec: Spec, churned: Build, small_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = churned()
    writer = Writer(store, rate=0, seed=9)
    build = Base.build

    def build_while_writing(*arguments: Any) -> Base:
        for _ in range(30):
            writer.write()
        return build(*arguments)

    monkeypatch.setattr(Base, "build", build_while_writing)
    store.compact()
    assert len(store.snapshot().overlay) > 0  # the writes made meanwhile, kept apart from the new base
    fresh = store_of_dataset(spec, current(store, small_dataset))
    criteria = Criteria((), spec.sort.effective("name:1"), 1000, 0)
    assert store.query(criteria) == fresh.query(criteria)


def test_a_request_reads_one_state_while_a_writer_runs(spec: Spec, churned: Build) -> None:
    """Whole results asked while writes pour in: the total is the number of items in the same answer, and a
    snapshot paged through is the snapshot's whole result (pages from one state tile)."""
    store = churned(writes=0)
    keys = spec.sort.effective("name:-1")
    writer = Writer(store, rate=2000, seed=3)
    with writer.running():
        for _ in range(30):
            page = store.query(Criteria((), keys, 1000, 0))
            assert page.total == page.count == len(orjson.loads(page.body))
        snapshot = store.snapshot()
        whole = orjson.loads(store.query(Criteria((), keys, 1000, 0), at=snapshot).body)
        pages = [store.query(Criteria((), keys, 37, offset), at=snapshot) for offset in range(0, len(snapshot), 37)]
        paged = [item for page in pages for item in orjson.loads(page.body)]
    assert paged == whole and len(whole) == len(snapshot)
    assert writer.stats().writes > 30, "the writer ran during the requests"


def test_a_snapshot_is_never_changed_by_later_writes(churned: Build) -> None:
    store = churned(writes=10)
    taken: Snapshot = store.snapshot()
    customers = [orjson.dumps(record) for record in taken.customers()]
    writer = Writer(store, rate=0, seed=4)
    for _ in range(50):
        writer.write()
    assert [orjson.dumps(record) for record in taken.customers()] == customers
    assert store.snapshot().writes == taken.writes + 50


def _reorders(fault: Fault) -> bool:
    return fault.engine is not None and fault.engine.reorder is not None


IN_THE_ENGINE = [fault for fault in ENGINE_FAULTS if fault.engine is not None]


@pytest.mark.parametrize("fault", IN_THE_ENGINE, ids=[fault.name for fault in IN_THE_ENGINE])
def test_an_engine_fault_is_wrong_as_the_faulty_store_on_the_same_customers(
    spec: Spec, churned: Build, small_dataset: Dataset, fault: Fault
) -> None:
    """A fault that rewrites conditions or tests records wrongly is applied to the overlay too: the churning
    store answers exactly as a faulty store built on its current customers. A fault that reorders is the base's
    alone: without the overlay's customers, the answer is the faulty store's on the base customers still there."""
    store = churned(fault.engine)
    snapshot = store.snapshot()
    overlay = set(snapshot.overlay)
    kept = [record for record in snapshot.customers() if record["_id"] not in overlay]
    on_base = store_for(fault.engine)(spec, Dataset(kept, small_dataset.objects))
    on_all = store_for(fault.engine)(spec, current(store, small_dataset))

    @settings(max_examples=25)
    @given(quietly(queries(spec, sample_of(spec, store, small_dataset))))
    def check(asked: Criteria) -> None:
        whole = Criteria(asked.conditions, asked.sort, 1000, 0)
        items = [item for item in orjson.loads(store.query(whole).body) if item["_id"] not in overlay]
        assert items == orjson.loads(on_base.query(whole).body)
        if not _reorders(fault):
            assert store.query(asked) == on_all.query(asked)

    check()
