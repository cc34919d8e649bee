"""The mock over a churning store: in-process (a WSGI app and its writer), or served by a process of its own.

The app is the mock's own (``create_app``: routes, parsing, errors, headers) with a ``ChurningStore`` and the
faults of a ``Fault`` (its engine rule inside the store, its config, its middleware around the mock). The
mock answers a request without a query from a page it prepared at start-up; here such a request is handed on
with the default ``limit`` as its query (the same criteria, the same ``Link`` header), so that it is answered
from the current state.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import mockserver.app
from customers_serving.application import WsgiApp
from customers_spec.datafile import Dataset
from customers_spec.model import Spec
from mockserver.app import create_app
from mockserver.config import Config
from selftest.churn.latency import Delayed
from selftest.churn.store import ChurningStore
from selftest.churn.writer import WriteCounts, Writer, WriteStats
from selftest.engine import Engine
from selftest.faults import Fault
from selftest.forked import forked_server

CORRECT = Fault("correct", frozenset())


@dataclass
class ChurningApp:
    """The churning mock as a WSGI app, its store, and the writer that changes it (not started yet)."""

    wsgi: WsgiApp = field(repr=False)
    store: ChurningStore
    writer: Writer

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.wsgi(environ, start_response)


def churning_app(
    dataset: Dataset,
    *,
    rate: float,
    seed: int = 0,
    fault: Fault = CORRECT,
    compact_after: int = 0,
    mix: str = "visible",
    latency_ms: tuple[float, float] | None = None,
    **config: Any,
) -> ChurningApp:
    """The mock on ``dataset`` with ``fault``, whose customers a writer changes ``rate`` times a second once
    started (``seed``: which writes; ``mix``: which kinds, ``writer.MIXES``); ``latency_ms``: every answer that
    much later (``latency.Delayed``, e.g. ``latency.STAGING_MS``); ``config``: mock ``Config`` fields."""
    fields = {"log_requests": False, **config, **fault.config}
    stores = _ChurningStores(fault.engine, compact_after)
    with mock.patch.object(mockserver.app, "store_of_dataset", stores.build):
        app = create_app(Config(**fields), dataset=dataset)
    store = stores.built[-1]
    app.wsgi_app = _default_query_spelled(store.spec, app.wsgi_app)  # type: ignore[method-assign,assignment]
    wsgi = fault.wrap(app) if fault.wrap is not None else app
    if latency_ms is not None:
        wsgi = Delayed(wsgi, *latency_ms, seed=seed)
    return ChurningApp(wsgi, store, Writer(store, rate=rate, seed=seed, mix=mix))


class _ChurningStores:
    """What ``create_app`` builds its store with (in place of ``store_of_dataset``): churning stores."""

    def __init__(self, engine: Engine | None, compact_after: int) -> None:
        self.engine, self.compact_after = engine, compact_after
        self.built: list[ChurningStore] = []

    def build(self, spec: Spec, dataset: Dataset, **_: Any) -> ChurningStore:
        self.built.append(ChurningStore(spec, dataset, engine=self.engine, compact_after=self.compact_after))
        return self.built[-1]


def _default_query_spelled(spec: Spec, app: WsgiApp) -> WsgiApp:
    """``app`` given ``limit=<default>`` where a request to the operation has no query at all."""
    paths = {spec.path, f"{spec.path}/"}
    limit = spec.pagination.limit
    spelled = f"{limit}={spec.parameters[limit].default}"

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("QUERY_STRING") and environ.get("PATH_INFO") in paths:
            environ = {**environ, "QUERY_STRING": spelled}
        return app(environ, start_response)

    return wrapped


@dataclass(frozen=True)
class ChurningServer:
    """A churning mock served over HTTP: where, and what its writer has done so far."""

    base_url: str
    counts: WriteCounts

    def stats(self) -> WriteStats:
        return self.counts.stats()


@contextmanager
def churning_server(app: ChurningApp) -> Iterator[ChurningServer]:
    """``app`` on a free port of 127.0.0.1, served with its writer by one forked process (so that every request
    sees the same state); the writer starts with the server and stops with it."""
    cells = multiprocessing.get_context("fork").Array("d", WriteCounts.SLOTS, lock=False)
    app.writer.counts = WriteCounts(cells)  # type: ignore[arg-type]  # shared memory, read here, written there
    try:
        with forked_server(app, in_child=app.writer.start) as base_url:
            yield ChurningServer(base_url, app.writer.counts)
    finally:
        app.writer.counts.stop(time.monotonic())
