"""The chunked layout of a data file: a record per line, read back exactly as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset, load_dataset
from mockserver.data.chunked import dump_dataset
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
