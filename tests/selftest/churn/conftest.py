"""A small dataset, and churning stores on it after a few hundred seeded writes (nothing writes during a test
unless it starts a writer)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.churn import ChurningStore, Writer
from selftest.engine import Engine

SIZE = 300
WRITES = 240  # about 180 overlay customers and 60 removed: a fifth of the data changed
NEVER = 10**9  # a compaction threshold no test reaches, so that the overlay stays in play


@pytest.fixture(scope="session")
def small_dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(SIZE, 11)


@pytest.fixture(scope="session")
def churned(spec: Spec, small_dataset: Dataset) -> Callable[..., ChurningStore]:
    """A churning store after ``writes`` seeded writes, with ``engine``'s fault."""

    def make(engine: Engine | None = None, *, writes: int = WRITES, seed: int = 5) -> ChurningStore:
        store = ChurningStore(spec, small_dataset, engine=engine, compact_after=NEVER)
        writer = Writer(store, rate=0, seed=seed)
        for _ in range(writes):
            writer.write()
        return store

    return make
