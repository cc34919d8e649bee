"""The SQL staging put together: its database built from a dataset in a directory, the app with a reading
(correct or a fault), a latency and a writer, served on a free port of 127.0.0.1 by a forked process of its
own (``selftest.forked``), whose writer starts with it, as ``selftest.churn`` serves the churning mock."""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from customers_spec import load_spec
from customers_spec.datafile import Dataset
from customers_spec.model import Spec
from selftest.forked import forked_server
from selftest.sqlstaging.app import Latency, SqlStaging
from selftest.sqlstaging.database import build
from selftest.sqlstaging.readings import reading_named
from selftest.sqlstaging.tables import Layout
from selftest.sqlstaging.writer import Counts, SqlWriter, WriteStats

STAGING_LATENCY_MS = (20.0, 50.0)  # what a staging behind a network adds to every answer
DATABASE = "staging.sqlite3"


@dataclass
class Staging:
    """The app and its writer (not started) over one database file."""

    app: SqlStaging
    writer: SqlWriter


def staging(
    dataset: Dataset,
    directory: Path,
    *,
    fault: str = "correct",
    rate: float = 0.0,
    latency_ms: tuple[float, float] = (0.0, 0.0),
    seed: int = 1,
    api_keys: frozenset[str] = frozenset(),
    spec: Spec | None = None,
) -> Staging:
    """The staging on ``dataset``, its database built in ``directory``; ``fault``: a name of
    ``readings.FAULTS`` or "correct"; ``rate``: writes per second once started; ``seed``: which writes, which
    waits, which physical order."""
    spec = spec or load_spec()
    path = directory / DATABASE
    build(path, Layout.of(spec), dataset, seed=seed)
    latency = Latency(*latency_ms, seed=seed)
    app = SqlStaging(spec, path, reading=reading_named(fault), api_keys=api_keys, latency=latency)
    return Staging(app, SqlWriter(spec, path, rate=rate, seed=seed))


@dataclass(frozen=True)
class StagingServer:
    """A served staging: where, and what its writer has done so far."""

    base_url: str
    counts: Counts

    def stats(self) -> WriteStats:
        return self.counts.stats()


@contextmanager
def staging_server(served: Staging) -> Iterator[StagingServer]:
    """``served`` on a free port of 127.0.0.1 with its writer, in one forked process; stopped afterwards."""
    cells = multiprocessing.get_context("fork").Array("d", Counts.SLOTS, lock=False)
    served.writer.counts = Counts(cells)  # type: ignore[arg-type]  # shared memory: written there, read here
    with forked_server(served.app, in_child=served.writer.start) as base_url:
        yield StagingServer(base_url, served.writer.counts)


@contextmanager
def sql_staging(dataset: Dataset, **options: object) -> Iterator[StagingServer]:
    """A staging (``staging``'s options) served, its database in a temporary directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sqlstaging-") as directory:
        served = staging(dataset, Path(directory), **options)  # type: ignore[arg-type]
        with staging_server(served) as server:
            yield server
