"""In-process latency of ``CollectionStore.query`` at 1,000, 10,000 and 100,000 customers, with the LRU off.

Targets at 100,000 customers: a page of 100 without filters p50 <= 5 ms; the slowest realistic query (a
``nameAndAddress`` substring, sorted by ``status.createdAt:-1``, at offset 50,000) p50 <= 50 ms. Also: how
each query grows with the dataset, the build time, and the memory the store keeps (tracemalloc).
``python -m bench --only query`` (``--quick``: 1,000 and 10,000 customers only, no targets).
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from itertools import cycle

from bench.common import Figure, p50, time_calls
from customers_spec import Spec, load_spec
from customers_spec.datafile import Dataset
from customers_spec.terms import Condition, filter_condition, general_condition
from mockserver.data.generate import generate_dataset
from mockserver.engine.criteria import Criteria
from mockserver.engine.store import CollectionStore
from mockserver.startup.storing import store_of_dataset

SEED = 20240601
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
TARGET_SIZE = 100_000
PAGE_TARGET_MS = 5.0
SLOWEST_TARGET_MS = 50.0
NEEDLES = ("e", "er", "en", "an", "r", "n", "ei", "st")  # common substrings, varied so nothing is reused
Query = Callable[[], object]


def run(quick: bool = False) -> list[Figure]:
    spec = load_spec()
    figures: list[Figure] = []
    for size in QUICK_SIZES if quick else SIZES:
        dataset = generate_dataset(size, SEED)
        started = time.perf_counter()
        store = store_of_dataset(spec, dataset, cache_size=0)
        figures.append(Figure(f"build, {size:,} customers", time.perf_counter() - started, "s"))
        repeat = 15 if quick else 40
        for label, query in queries(spec, dataset, store).items():
            median = p50(time_calls(query, repeat))
            target = _target(label, size)
            met = None if not target else median <= float(target.removeprefix("<= "))
            figures.append(Figure(f"{label}, {size:,} customers, p50", median, "ms", target, met))
        if size == TARGET_SIZE:
            figures.append(Figure(f"store memory, {size:,} customers", _store_memory(spec, dataset), "MB"))
        del store, dataset
        gc.collect()
    return figures


def queries(spec: Spec, dataset: Dataset, store: CollectionStore) -> dict[str, Query]:
    """Realistic requests, each a callable that runs one query (values vary where a cache could help)."""
    filters = spec.filters
    half = len(dataset.customers) // 2
    managers = sorted({site["objectManagerId"] for site in dataset.objects if site.get("objectManagerId")})
    numbers = [str(customer["number"]) for customer in dataset.customers[::97]]

    def page(conditions: Callable[[], tuple[Condition, ...]], sort: str | None, offset: int = 0) -> Query:
        keys = spec.sort.effective(sort)
        return lambda: store.query(Criteria(conditions(), keys, 100, offset))

    def condition(parameter: str, values: list) -> Callable[[], tuple[Condition, ...]]:
        each = cycle(values)
        return lambda: (filter_condition(filters[parameter], next(each)),)

    dates = cycle(["2019-06-01", "2021-01-15", "2023-03-01", "2024-11-30"])
    fields = [path for path in spec.sort.fields if path != spec.sort.tie_breaker.path]
    new_sorts = cycle([f"{first}:1,{second}:-1" for first in fields for second in fields if first != second])
    return {
        "page of 100, no filter": page(tuple, None),
        "page of 100, no filter, sort name:-1, offset half": page(tuple, "name:-1", half),
        "slowest: nameAndAddress + status.createdAt:-1 + offset half": page(
            condition("nameAndAddress", list(NEEDLES)), "status.createdAt:-1", half
        ),
        "nameAndAddress (rare) + sort name:1": page(
            condition("nameAndAddress", ["berlin", "xyz", "hafen", "gmbh & co"]), "name:1"
        ),
        "status=1,2 + sort address.city:1,name:-1": page(condition("status", ["1,2", "2,3"]), "address.city:1,name:-1"),
        "name digits (number or substring)": page(condition("name", numbers), None),
        "customerHasAssignedObjectManager": page(
            condition("customerHasAssignedObjectManager", [[m] for m in managers]), None
        ),
        "generalField date gt + status": page(
            lambda: (
                general_condition(spec, "generalField", "status.createdAt", "gt", next(dates)),
                filter_condition(filters["status"], "1"),
            ),
            "contact.email:-1",
        ),
        "a two-key sort not seen before (builds its full order)": lambda: store.query(
            Criteria((), spec.sort.effective(next(new_sorts)), 100, 0)
        ),
    }


def _target(label: str, size: int) -> str:
    if size != TARGET_SIZE:
        return ""
    if label == "page of 100, no filter":
        return f"<= {PAGE_TARGET_MS:g}"
    if label.startswith("slowest"):
        return f"<= {SLOWEST_TARGET_MS:g}"
    return ""


def _store_memory(spec: Spec, dataset: Dataset) -> float:
    """Megabytes the store keeps beyond the dataset it was built from (a second build, traced)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    store = store_of_dataset(spec, dataset, cache_size=0)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del store
    return kept / 1024**2
