"""The writer: every kind of write, anywhere, seeded; a replacement keeps the total; a removal its sites too."""

from __future__ import annotations

from pathlib import Path

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.sqlstaging.database import build, connect
from selftest.sqlstaging.tables import Layout
from selftest.sqlstaging.writer import KINDS, SqlWriter

WRITES = 200


def state(path: Path) -> tuple[int, list[str]]:
    connection = connect(path)
    ids = [value for (value,) in connection.execute('SELECT "v:_id" FROM customers ORDER BY "v:_id"')]
    (sites,) = connection.execute('SELECT count(*) FROM "rel:objects"').fetchone()
    return sites, ids


def written(spec: Spec, dataset: Dataset, directory: Path, seed: int) -> tuple[SqlWriter, Path]:
    path = directory / f"db-{seed}-{len(list(directory.iterdir()))}.sqlite3"
    build(path, Layout.of(spec), dataset)
    writer = SqlWriter(spec, path, rate=0, seed=seed)
    for _ in range(WRITES):
        writer.write()
    return writer, path


def test_every_kind_is_written_and_the_same_seed_writes_the_same(spec: Spec, thousand: Dataset, tmp_path: Path) -> None:
    first, path = written(spec, thousand, tmp_path, seed=4)
    _, path_again = written(spec, thousand, tmp_path, seed=4)
    by_kind = first.stats().by_kind
    assert set(by_kind) == set(KINDS) and all(by_kind.values()) and sum(by_kind.values()) == WRITES
    sites, ids = state(path)
    assert state(path_again) == (sites, ids) and sorted(first.ids) == ids
    assert len(ids) == len(thousand.customers) + by_kind["add"] - by_kind["remove"]
    assert sites < len(thousand.objects)  # the removed customers' sites went with them


def test_a_replacement_keeps_the_total_and_changes_the_customers(spec: Spec, thousand: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build(path, Layout.of(spec), thousand)
    writer = SqlWriter(spec, path, rate=0, seed=1)
    kinds = []
    for _ in range(60):
        before = state(path)[1]
        kinds.append(writer.write())
        after = state(path)[1]
        if kinds[-1] == "replace":
            assert len(after) == len(before) and set(after) != set(before)
        if kinds[-1] in ("rename", "status"):
            assert after == before
    assert "replace" in kinds


def test_a_negative_rate_is_refused(spec: Spec, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 0"):
        SqlWriter(spec, tmp_path / "none", rate=-1, seed=0)
