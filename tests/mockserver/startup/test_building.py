"""The start-up build in chunks: a data file read in ranges and ``--count`` generated in chunks give the store
that the whole dataset gives, and any problem falls back to reading the file whole, which reports it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from customers_spec import Api, SortKey, Spec
from customers_spec.datafile import Dataset
from customers_spec.errors import DataError
from customers_spec.terms import filter_condition
from mockserver.config import Config
from mockserver.data import chunked as chunked_layout
from mockserver.data.chunked import dump_dataset, dump_ranges
from mockserver.data.generate import CHUNK, generate_dataset
from mockserver.engine.criteria import Criteria, Page
from mockserver.engine.store import CollectionStore
from mockserver.startup.building import (
    build_store,
    file_store,
    file_stores,
    generated_store,
    generated_stores,
    stores_of_dataset,
)
from mockserver.startup.grouping import store_specs
from mockserver.startup.storing import store_of_dataset


def pages(spec: Spec, store: CollectionStore, data: Dataset) -> list[Page]:
    """Enough queries to tell two stores apart: every sort both ways, a text filter, a relation."""
    sorts = [spec.sort.effective(f"{path}:{way}") for path in spec.sort.fields for way in ("1", "-1")]
    criteria = [Criteria((), keys, 60, 7) for keys in sorts]
    manager = next(site["objectManagerId"] for site in data.objects if site.get("objectManagerId"))
    criteria += [
        Criteria((filter_condition(spec.filters["nameAndAddress"], "er"),), spec.sort.default, 50, 3),
        Criteria((filter_condition(spec.filters["customerHasAssignedObjectManager"], manager),), (), 40, 0),
    ]
    found = [store.query(one) for one in criteria]
    assert found[-1].total > 0 and found[-2].total > 0
    return found


@pytest.fixture(scope="module")
def generated() -> Dataset:
    return generate_dataset(CHUNK + 700, 11)  # two chunks


def test_a_file_read_in_ranges_gives_the_store_of_the_whole_file(
    spec: Spec, generated: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    dump_dataset(generated, path)
    monkeypatch.setattr(chunked_layout, "READ_RANGE_BYTES", 50_000)
    ranges = dump_ranges(path)
    assert ranges is not None and len(ranges[0]) > 3 and len(ranges[1]) > 3
    chunked = file_store(spec, path)
    assert chunked is not None and len(chunked) == len(generated.customers)
    assert pages(spec, chunked, generated) == pages(spec, store_of_dataset(spec, generated), generated)


def test_count_builds_the_store_of_the_generated_dataset(spec: Spec, generated: Dataset) -> None:
    chunked = generated_store(spec, len(generated.customers), 11)
    assert pages(spec, chunked, generated) == pages(spec, store_of_dataset(spec, generated), generated)
    assert len(build_store(spec, Config(count=0))) == 0


def test_other_layouts_and_broken_files_are_read_whole(spec: Spec, generated: Dataset, tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_bytes(orjson.dumps(generated.customers[:30]))
    assert dump_ranges(array) is None
    assert len(build_store(spec, Config(data=array))) == 30
    path = tmp_path / "data.json"
    dump_dataset(Dataset(generated.customers[:30], generated.objects[:10]), path)
    text = path.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_bytes(text.replace(b'"number":1005', b'"number":"x"', 1))
    assert file_store(spec, broken) is None
    with pytest.raises(DataError, match=r"customer 4 at \$\.customers\[4\]\.number"):
        build_store(spec, Config(data=broken))
    repeated = tmp_path / "repeated.json"
    repeated.write_bytes(text.replace(b'"number":1005', b'"number":1006', 1))
    with pytest.raises(DataError, match="not unique"):
        build_store(spec, Config(data=repeated))
    cut = tmp_path / "cut.json"
    cut.write_bytes(text[: len(text) // 2])
    with pytest.raises(DataError, match="not JSON"):
        build_store(spec, Config(data=cut))


def _all_bodies(store: CollectionStore) -> bytes:
    return store.query(Criteria((), (SortKey("_id"),), max(len(store), 1), 0)).body


def test_every_collection_s_store_is_built_in_one_pass_the_same_from_a_file_and_generated(
    example_api: Api, generated: Dataset, tmp_path: Path
) -> None:
    specs = store_specs(example_api)
    path = tmp_path / "data.json"
    dump_dataset(generated, path)
    in_memory = stores_of_dataset(specs, generated)
    assert {key: len(store) for key, store in in_memory.items()} == {
        "customers _id": len(generated.customers),
        "objects _id": len(generated.objects),
    }
    from_file = file_stores(specs, path)
    assert from_file is not None
    made = generated_stores(specs, len(generated.customers), 11)
    for key, store in in_memory.items():
        assert _all_bodies(from_file[key]) == _all_bodies(store) == _all_bodies(made[key])
