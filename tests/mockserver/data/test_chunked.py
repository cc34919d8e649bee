"""The chunked layout of a data file: a record per line, read back in ranges exactly as written, and the
checks across ranges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset, load_dataset
from mockserver.data.chunked import dump_dataset, hashes_distinct, key_hashes, owners_known, parse_records
from mockserver.data.generate import generate_dataset


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate_dataset(30, 3)


def test_a_dumped_dataset_loads_back_unchanged(spec: Spec, small: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    dump_dataset(small, path)
    assert load_dataset(path, spec) == small
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(small.customers) + len(small.objects) + 4  # a record per line, 4 of brackets
    assert json.loads(path.read_text(encoding="utf-8")) == {"customers": small.customers, "objects": small.objects}


def test_an_empty_dataset_dumps_to_valid_json(spec: Spec, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    dump_dataset(Dataset(customers=[]), path)
    assert load_dataset(path, spec) == Dataset(customers=[], objects=[])


def test_ranges_parse_only_as_whole_values_joined_by_commas() -> None:
    assert parse_records(b'{"a": 1},\n{"b": 2},\n', last=False) == [{"a": 1}, {"b": 2}]
    assert parse_records(b'{"a": 1},\n{"b": 2}\n', last=True) == [{"a": 1}, {"b": 2}]
    assert parse_records(b"\n", last=True) == []
    assert parse_records(b'{"a": 1}\n', last=False) is None  # a missing comma between two ranges
    assert parse_records(b'{"a": 1},\n', last=True) is None  # a trailing comma
    assert parse_records(b'{"a": [1,\n', last=False) is None  # a record cut in two


def test_key_hashes_prove_keys_distinct_across_chunks() -> None:
    first = key_hashes({"_id": ["a", "b"], "number": [1, 2]})
    second = key_hashes({"_id": ["c", None], "number": [3, 1]})
    assert first is not None and second is not None
    assert hashes_distinct([first["_id"], second["_id"]])
    assert not hashes_distinct([first["number"], second["number"]])
    assert hashes_distinct([])
    assert key_hashes({"_id": [["not", "hashable"]]}) is None  # the caller then reads the file whole


def test_every_site_must_name_a_customer_of_the_file() -> None:
    assert owners_known(["a", "b"], ["a", "b", "a"])
    assert owners_known(["a"], ["a", None, 5])  # only strings name a customer; the schema refuses the rest
    assert not owners_known(["a"], ["a", "b"])
