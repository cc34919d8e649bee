"""Every operation of the example spec (``examples/customers-and-sites.yaml``) over HTTP, beside the customers list
it must not slow down: the default page and the varied queries of GET /v2/customers, the customer by id (random
ids), a customer's sites (random customers) and the sites list (varied pages), each loaded by wrk in interleaved
rounds from one ``mockserver serve`` with the customers and their sites.

Targets (issue 24): the item by id and the sub-collection answer at least at the list's default-page rate
(their bodies are slices of the store's buffer, as the default page's is), the default page sent the same way
(through ``selftest/walk.lua``, whose Lua costs the load generator, which shares the cores).
``BENCH_OPS_BEFORE=DIR`` adds a mock started from another checkout (``git archive <commit> | tar -x -C DIR``)
serving the shipped spec, whose default page and varied queries are loaded in the same rounds: the customers
list before and after a change, in one run. ``BENCH_SIZES`` (default 1000) picks the sizes.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

import orjson

from bench.common import Figure
from bench.varied import varied_queries, wrk_paths
from selftest import servers
from selftest.loadgen import LoadError, LoadResult, run_wrk

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "customers-and-sites.yaml"
HEADERS = {"x-API-Key": "bench-key"}
CONNECTIONS, THREADS, WORKERS = 32, 2, 2
QUERIES, SEED = 4000, 1
STARTUP_S = 180.0  # a shared machine at 100,000 customers: start-up is measured by bench_varied, not here
DEFAULT, WALKED, VARIED, ITEM, SITES_OF, SITES = (
    "customers: default page",
    "customers: default page, walked like the others",
    "customers: varied queries",
    "customer by id (random ids)",
    "a customer's sites (random customers)",
    "sites: varied pages",
)


def run(quick: bool = False) -> list[Figure]:
    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "1000").split(",")]
    seconds, rounds = (2.0, 1) if quick else (5.0, 3)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-operations-") as scratch:
        for size in sizes[:1] if quick else sizes:
            figures += _one_size(size, Path(scratch), seconds, rounds)
    return figures


def _one_size(size: int, scratch: Path, seconds: float, rounds: int) -> list[Figure]:
    data = scratch / f"data-{size}.json"
    command = [sys.executable, "-m", "mockserver", "generate", "--count", str(size), "--seed", str(SEED)]
    subprocess.run([*command, "--output", str(data)], check=True, capture_output=True, timeout=1800)
    dataset = orjson.loads(data.read_bytes())
    customers, sites = dataset["customers"], dataset["objects"]
    rng = random.Random(SEED)
    varied = scratch / "varied.txt"
    varied.write_text(wrk_paths("/v2/customers", [q.mock for q in varied_queries(customers, QUERIES)]), "utf-8")
    ids = [customer["_id"] for customer in customers]
    items, owners, walked = scratch / "items.txt", scratch / "owners.txt", scratch / "default.txt"
    walked.write_text("/v2/customers\n" * QUERIES, "utf-8")  # the same path through walk.lua, as the others go
    items.write_text("".join(f"/v2/customers/{rng.choice(ids)}\n" for _ in range(QUERIES)), "utf-8")
    owners.write_text("".join(f"/v2/customers/{rng.choice(ids)}/objects\n" for _ in range(QUERIES)), "utf-8")
    pages = scratch / "sites.txt"
    cities = sorted({site["address"]["city"] for site in sites})
    lines = [f"limit={rng.choice((10, 50, 100))}&offset={rng.randrange(0, max(len(sites), 1))}" for _ in range(500)]
    lines += [f"city={quote(rng.choice(cities)[:4])}&sort=address.city:-1" for _ in range(500)]
    pages.write_text(wrk_paths("/v2/objects", lines), "utf-8")
    label = f"{size:,} customers, {len(sites):,} sites"
    options = ("--data", str(data), "--workers", str(WORKERS), "--quiet")
    with ExitStack() as stack:
        after = stack.enter_context(servers.running_mock(*options, "--spec", str(EXAMPLE), timeout_s=STARTUP_S))
        targets: dict[str, tuple[str, Path | None]] = {
            DEFAULT: (after.base_url + "/v2/customers", None),
            WALKED: (after.base_url + "/v2/customers", walked),
            VARIED: (after.base_url + "/v2/customers", varied),
            ITEM: (after.base_url + "/v2/customers", items),
            SITES_OF: (after.base_url + "/v2/customers", owners),
            SITES: (after.base_url + "/v2/objects", pages),
        }
        before_dir = os.environ.get("BENCH_OPS_BEFORE")
        if before_dir:
            before = stack.enter_context(_elsewhere(Path(before_dir), *options))
            targets[f"before: {DEFAULT}"] = (before.base_url + "/v2/customers", None)
            targets[f"before: {VARIED}"] = (before.base_url + "/v2/customers", varied)
        results = _interleaved(targets, seconds, rounds)
    figures = []
    for name, runs in results.items():
        figures.append(Figure(f"{label}: {name}: throughput", _rps(runs), "req/s"))
        figures.append(Figure(f"{label}: {name}: latency p50", statistics.median(r.p50_ms for r in runs), "ms"))
    for name in (ITEM, SITES_OF):  # against the default page sent the same way (wrk's walk.lua costs the client)
        share = _rps(results[name]) / _rps(results[WALKED])
        figures.append(Figure(f"{label}: {name} / default page req/s", share, "x", ">= 1", share >= 1))
    return figures


@contextmanager
def _elsewhere(checkout: Path, *options: str) -> Iterator[servers.Server]:
    """A mock of another checkout's code (its packages first on the path), on the shipped spec."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(checkout)
    try:
        context = servers.running_mock(*options, timeout_s=STARTUP_S)
        server = context.__enter__()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    try:
        yield server
    finally:
        context.__exit__(None, None, None)


def _interleaved(
    targets: dict[str, tuple[str, Path | None]], seconds: float, rounds: int
) -> dict[str, list[LoadResult]]:
    for url, walk in targets.values():  # warm every target once
        run_wrk(url, seconds=1, connections=CONNECTIONS, threads=THREADS, headers=HEADERS, targets=walk)
    results: dict[str, list[LoadResult]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (url, walk) in targets.items():
            result = run_wrk(
                url, seconds=seconds, connections=CONNECTIONS, threads=THREADS, headers=HEADERS, targets=walk
            )
            if result.failures:
                raise LoadError(f"{name}: {result.non_2xx} non-2xx answers, {result.socket_errors} socket errors")
            results[name].append(result)
    return results


def _rps(runs: list[LoadResult]) -> float:
    return statistics.median(run.requests_per_second for run in runs)
