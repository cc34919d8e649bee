"""The writer: its pace (on a fake clock, and briefly on the real one), each kind of write and what it changes,
its seed, and customers it adds that the Customer schema and the data rules accept."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest

from customers_spec import Spec
from customers_spec.datafile import CUSTOMERS_IN_OBJECT, OBJECTS_IN_OBJECT, Dataset, data_problems
from customers_spec.values import parse_datetime
from selftest.churn import ChurningStore, Writer
from selftest.churn.writer import MAX_LAG_S, MIXES, TAIL
from tests.selftest.churn.conftest import NEVER

Build = Callable[..., ChurningStore]


class FakeClock:
    """Time that passes only when the writer waits (or a write is made to take ``write_s``), until ``end``."""

    def __init__(self, end: float) -> None:
        self.now, self.end = 0.0, end

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.now += seconds
        return self.now >= self.end


def writes_in(store: ChurningStore, rate: float, seconds: float) -> int:
    clock = FakeClock(seconds)
    writer = Writer(store, rate=rate, seed=1, clock=clock)
    writer.run(clock.wait)
    assert writer.stats().seconds == pytest.approx(seconds, abs=1 / rate)
    return writer.stats().writes


@pytest.mark.parametrize("rate", [2, 20])
def test_the_writer_keeps_its_rate(churned: Build, rate: int) -> None:
    assert abs(writes_in(churned(writes=0), rate, 30.0) - rate * 30) <= 1


def test_after_a_stall_the_writer_catches_up_by_at_most_a_second_of_writes(churned: Build) -> None:
    clock = FakeClock(end=10.0)
    writer = Writer(churned(writes=0), rate=20, seed=1, clock=clock)
    instants: list[float] = []
    write = writer.write

    def stalling_write() -> str:
        if writer.written == 20:
            clock.now += 5.0  # this write takes 5 s (a stalled machine)
        instants.append(clock.now)
        return write()

    writer.write = stalling_write  # type: ignore[method-assign]
    writer.run(clock.wait)
    at_once = instants.count(instants[20])  # the stalled write, and those made at once after it
    assert MAX_LAG_S * 20 <= at_once <= MAX_LAG_S * 20 + 2
    assert writer.stats().writes < 10 * 20, "the five stalled seconds are not all made up"


def test_a_short_real_run_writes_at_about_its_rate(churned: Build) -> None:
    store = churned(writes=0)
    writer = Writer(store, rate=40, seed=1)
    with writer.running():
        while writer.stats().seconds < 0.5:
            pass
    stats = writer.stats()
    assert 0.5 * 40 * stats.seconds <= stats.writes <= 40 * stats.seconds + MAX_LAG_S * 40 + 1
    assert store.snapshot().writes == stats.writes == writer.written


def test_a_writer_at_rate_zero_writes_nothing(churned: Build) -> None:
    store = churned(writes=0)
    writer = Writer(store, rate=0, seed=1)
    with writer.running():
        pass
    assert writer.stats().writes == 0 and store.snapshot().writes == 0


def test_each_kind_of_write_changes_what_it_says(spec: Spec, churned: Build) -> None:
    store = churned(writes=0)
    writer = Writer(store, rate=0, seed=2)
    seen: dict[str, int] = dict.fromkeys(MIXES["visible"], 0)
    for _ in range(200):
        before = store.snapshot()
        kind = writer.write()
        seen[kind] += 1
        after = store.snapshot()
        added = {record["_id"] for record in after.customers()} - {record["_id"] for record in before.customers()}
        removed = {record["_id"] for record in before.customers()} - {record["_id"] for record in after.customers()}
        overlay = [entry.record for entry in after.overlay.values()]
        changed = [(before.record(new["_id"]), new) for new in overlay if before.record(new["_id"]) not in (None, new)]
        if kind == "add":
            assert len(added) == 1 and not removed and not changed and len(after) == len(before) + 1
        elif kind == "remove":
            assert len(removed) == 1 and not added and not changed and len(after) == len(before) - 1
        else:
            assert not added and not removed and len(changed) == 1
            old, new = changed[0]
            assert old is not None
            differing = {key for key in new if new[key] != old.get(key)}
            if kind == "rename":
                assert differing == {"name"}
            else:
                assert differing == {"status"}
                assert new["status"]["status"] != old["status"]["status"]
                assert {key for key in new["status"] if new["status"][key] != old["status"].get(key)} <= {
                    "status",
                    "lastModifiedAt",
                }
                moment = parse_datetime(new["status"]["lastModifiedAt"])
                assert moment > parse_datetime(old["status"]["createdAt"])
    assert all(count > 20 for count in seen.values()), seen


def test_the_same_seed_makes_the_same_writes(spec: Spec, small_dataset: Dataset) -> None:
    def customers_after(seed: int) -> list[bytes]:
        store = ChurningStore(spec, small_dataset, compact_after=NEVER)
        writer = Writer(store, rate=0, seed=seed)
        for _ in range(120):
            writer.write()
        return sorted(orjson.dumps(record) for record in store.snapshot().customers())

    assert customers_after(7) == customers_after(7)
    assert customers_after(7) != customers_after(8)


def test_added_customers_are_valid_and_unique(spec: Spec, small_dataset: Dataset, churned: Build) -> None:
    """Every customer after the writes meets the Customer schema (formats included), and ``_id`` and ``number``
    stay unique: the checks a data file must pass."""
    store = churned(writes=400)
    customers = store.snapshot().customers()
    added = [record for record in customers if record["number"] > max(r["number"] for r in small_dataset.customers)]
    assert len(added) > 50
    collections = (CUSTOMERS_IN_OBJECT, OBJECTS_IN_OBJECT)
    assert [str(problem) for problem in data_problems(customers, [], collections, spec)] == []
    assert all(parse_datetime(record["status"]["createdAt"]).year >= 2025 for record in added)
    known = {record["_id"] for record in customers} | {record["_id"] for record in small_dataset.customers}
    recipients = [record["invoiceRecipientId"] for record in added if record.get("invoiceRecipientId")]
    assert recipients and set(recipients) <= known, "invoice recipients are customers of the store"


def test_an_invisible_mix_keeps_the_total_and_the_first_customers_only_renaming_and_changing_status(
    spec: Spec, small_dataset: Dataset
) -> None:
    """Writes the sign of change (the total and the first page in the default order, by number) cannot see."""
    store = ChurningStore(spec, small_dataset, compact_after=NEVER)
    writer = Writer(store, rate=0, seed=3, mix="invisible")
    first = sorted(small_dataset.customers, key=lambda record: record["number"])
    totals = []
    for _ in range(200):
        writer.write()
        totals.append(len(store))
    by_kind = writer.stats().by_kind
    assert by_kind["add"] == by_kind["remove"] == 0 and min(by_kind[kind] for kind in ("rename", "status", "swap")) > 0
    warm = totals.index(len(small_dataset.customers) + TAIL)
    assert set(totals[warm:]) == {len(small_dataset.customers) + TAIL}, "each swap adds one and removes one"
    now = sorted(store.snapshot().customers(), key=lambda record: record["number"])
    assert [record["_id"] for record in now[: len(first)]] == [record["_id"] for record in first]
    assert any(a != b for a, b in zip(now, first, strict=False)), "renamed or changed status in place"


def test_an_unknown_mix_is_refused(churned: Build) -> None:
    with pytest.raises(ValueError, match="mix must be one of visible, invisible"):
        Writer(churned(writes=0), rate=1, seed=1, mix="loud")
