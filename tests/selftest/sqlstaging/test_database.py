"""The database file: built in a shuffled physical order, read a page and its total in one state."""

from __future__ import annotations

import threading
from pathlib import Path

import orjson

from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.sqlstaging.database import Connections, build, connect
from selftest.sqlstaging.tables import Layout


def test_the_physical_order_is_not_the_numbers_and_reads_see_one_state(
    spec: Spec, thousand: Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    build(path, Layout.of(spec), thousand, seed=2)
    connections = Connections(path)
    numbers = [number for (number,) in connections.get().execute('SELECT "v:number" FROM customers ORDER BY rowid')]
    assert sorted(numbers) == [record["number"] for record in thousand.customers] != numbers
    count: tuple[str, list[object]] = ("SELECT count(*) FROM customers", [])
    page: tuple[str, list[object]] = ('SELECT "v:_id" FROM customers ORDER BY "v:number" LIMIT ?', [2])
    total, bodies = connections.answer(count, page)
    numbers_first = sorted(numbers)[:2]
    assert total == len(thousand.customers) and [orjson.loads(body)["number"] for body in bodies] == numbers_first
    assert connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_each_thread_has_its_own_connection(spec: Spec, thousand: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build(path, Layout.of(spec), thousand)
    connections = Connections(path)
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(connections.get()))
    thread.start()
    thread.join()
    assert seen[0] is not connections.get() and connections.get() is connections.get()
