"""The state two workers share through one log (two ``State``s here, as two processes have): a write through one
is in the other's next stores; a tenant without writes answers from the start stores; only the stores a write
touches are rebuilt; a reset is seen as one."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from customers_spec import Api
from customers_spec.datafile import Dataset
from mockserver.engine.criteria import Criteria
from mockserver.engine.store import CollectionStore
from mockserver.startup.grouping import store_specs
from mockserver.startup.storing import store_of_dataset
from mockserver.state.journal import Journal
from mockserver.state.tenants import State, TenantView


@pytest.fixture(scope="module")
def base(example_api: Api, dataset: Dataset) -> dict[str, CollectionStore]:
    return {key: store_of_dataset(spec, dataset) for key, spec in store_specs(example_api).items()}


def states(example_api: Api, base: dict[str, CollectionStore], path: Path) -> tuple[State, State]:
    rules = {"customers": (("number", "companyId"),)}
    specs = store_specs(example_api)
    return State(Journal(path), specs, base, rules), State(Journal(path), specs, base, rules)


def everything(store: CollectionStore) -> list[dict]:
    return orjson.loads(store.query(Criteria(conditions=(), sort=(), offset=0, limit=10_000)).body)


def test_a_write_through_one_state_is_in_the_other_s_next_stores(
    example_api: Api, base: dict[str, CollectionStore], dataset: Dataset, tmp_path: Path
) -> None:
    one, other = states(example_api, base, tmp_path / "log.sqlite")
    assert other.stores("t") is other.base  # no write: the start stores, as they are
    record = {**dataset.customers[0], "_id": "f" * 24, "number": 99_999}

    def create(view: TenantView) -> list[tuple[str, str, bytes | None]]:
        assert "f" * 24 not in view.records["customers"]
        return [("customers", "f" * 24, orjson.dumps(record))]

    one.write("t", create)
    seen = other.stores("t")
    assert everything(seen["customers _id"])[-1] == record
    assert len(seen["customers _id"]) == len(dataset.customers) + 1
    assert seen["objects _id"] is base["objects _id"]  # a customer's write rebuilds no site store
    assert other.stores("u") is other.base
    assert other.stores("t") is seen  # nothing moved: the same stores, not rebuilt

    one.write("t", lambda view: [("customers", "f" * 24, None)])
    assert len(other.stores("t")["customers _id"]) == len(dataset.customers)
    assert other.reset("t") == 2 and one.stores("t") is one.base


def test_a_write_refused_by_its_change_leaves_the_log_as_it_was(
    example_api: Api, base: dict[str, CollectionStore], tmp_path: Path
) -> None:
    one, _ = states(example_api, base, tmp_path / "log.sqlite")

    def refuse(view: TenantView) -> list[tuple[str, str, bytes | None]]:
        raise ValueError("refused")

    with pytest.raises(ValueError):
        one.write("t", refuse)
    assert one.journal.mark("t") is None and one.stores("t") is one.base
