"""Requests/s and latency of ``mockserver serve`` under gunicorn, beside Prism and a bare Flask baseline.

Every target is loaded by the same tool (wrk, ``selftest.loadgen``) from a second process on loopback, one target
at a time, in interleaved rounds (medians reported) so that a busy moment of the shared machine hits every
target alike. Targets on a 2-core machine:
- at equal payload (our ``limit`` set to the number of items Prism's static mock returns), our filtered and
  sorted query serves >= 1.5x Prism's requests/s, although Prism filters nothing;
- the default page (100 customers) serves >= 1.5x the bare baseline's requests/s (json.dumps per request);
- start-up with the default data < 2 s.
Also: the memory of the whole server (master and workers) serving 100,000 customers.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bench.common import Figure
from customers_serving.listening import BALANCED
from mockserver.http.serving import THREADS_PER_WORKER, WORKER_CLASS, WORKER_CONNECTIONS
from selftest import servers
from selftest.loadgen import LoadError, LoadResult, run_wrk

# Two workers (gthread reading heads first, as `mockserver serve` runs them): 2 cores, and the load
# generator needs one part-time.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
API_KEY = "bench-key"
HEADERS = {"x-API-Key": API_KEY}
CUSTOMERS = "/v2/customers"
# A filtered and sorted query: a substring of name or address, a status list, and a two-key sort.
FILTERED = {"nameAndAddress": "er", "status": "1,2,3", "sort": "address.city:1,name:-1"}
RATIO_TARGET = 1.5
STARTUP_TARGET_S = 2.0
LARGE_COUNT = 100_000
CONNECTIONS = 16
PRISM_HINT = "set PRISM=/path/to/prism or run `npm install --prefix tools @stoplight/prism-cli`"


def run(quick: bool = False) -> list[Figure]:
    """Every HTTP figure; ``quick`` shortens the load runs and the start-up repetitions."""
    seconds, rounds = (2.0, 1) if quick else (3.0, 5)
    figures: list[Figure] = []
    with ExitStack() as stack:
        targets, prism_items = _targets(stack, figures)
        results, balances = _load_interleaved(targets, seconds, rounds)
    for label, runs in results.items():
        figures += _load_figures(label, runs, balances.get(label, []))
    figures.append(_ratio("default page: mock / baseline req/s", results[DEFAULT], results[BASELINE]))
    if prism_items:
        figures.append(_ratio(f"{prism_items} item(s): mock filtered / Prism req/s", results[EQUAL], results[PRISM]))
    figures += _startup(repeat=1 if quick else 5)
    figures += _memory_at_scale()
    return figures


DEFAULT, FILTERED_100, EQUAL = "mock: default page (100)", "mock: filtered+sorted (limit 100)", "mock: equal payload"
BASELINE, PRISM = "baseline: default page (100)", "Prism: static mock"


@dataclass(frozen=True)
class Target:
    url: str
    server: servers.Server


def _targets(stack: ExitStack, figures: list[Figure]) -> tuple[dict[str, Target], int]:
    """Start every server (they idle while another is loaded) and check that the payloads compare."""
    mock = stack.enter_context(_mock())
    baseline = stack.enter_context(_baseline())
    default_url = mock.base_url + CUSTOMERS
    _require(_get_json(baseline.base_url + CUSTOMERS) == _get_json(default_url), "baseline and mock pages differ")
    targets = {
        DEFAULT: Target(default_url, mock),
        FILTERED_100: Target(_url(mock.base_url, FILTERED), mock),
        BASELINE: Target(baseline.base_url + CUSTOMERS, baseline),
    }
    executable = prism_executable()
    if executable is None:
        figures.append(Figure(f"Prism: NOT FOUND ({PRISM_HINT})", float("nan"), "", "present", False))
        return targets, 0
    prism = stack.enter_context(_prism(executable))
    items = len(_get_json(prism.base_url + CUSTOMERS))
    equal_url = _url(mock.base_url, {**FILTERED, "limit": str(items)})
    _require(len(_get_json(equal_url)) == items, f"the filtered query must match at least {items} customers")
    targets[EQUAL] = Target(equal_url, mock)
    targets[PRISM] = Target(prism.base_url + CUSTOMERS, prism)
    return targets, items


def _load_interleaved(
    targets: dict[str, Target], seconds: float, rounds: int
) -> tuple[dict[str, list[LoadResult]], dict[str, list[float]]]:
    """Each target warmed up, then loaded once per round in turn, so a busy moment of the machine hits all.

    Also returns, per multi-worker target and round, the busiest worker's share of the workers' CPU time:
    0.5 is an even split of two workers, 1.0 means one worker served every connection.
    """
    for target in targets.values():
        run_wrk(target.url, seconds=1, connections=CONNECTIONS, headers=HEADERS)
    results: dict[str, list[LoadResult]] = {label: [] for label in targets}
    balances: dict[str, list[float]] = {}
    for _ in range(rounds):
        for label, target in targets.items():
            workers = target.server.pids()[1:]
            before = [servers.cpu_ticks(pid) for pid in workers]
            result = run_wrk(target.url, seconds=seconds, connections=CONNECTIONS, headers=HEADERS)
            if result.failures:
                raise LoadError(
                    f"{label}: {result.non_2xx} non-2xx responses and {result.socket_errors} socket errors "
                    f"in {result.requests} requests"
                )
            results[label].append(result)
            used = [servers.cpu_ticks(pid) - start for pid, start in zip(workers, before, strict=True)]
            if len(used) > 1 and sum(used) > 0:
                balances.setdefault(label, []).append(max(used) / sum(used))
    return results, balances


def _load_figures(label: str, runs: list[LoadResult], balances: list[float]) -> list[Figure]:
    """Medians over the rounds of req/s, p50, p99 and the busiest worker's CPU share."""
    figures = [
        Figure(f"{label}: throughput", _median_rps(runs), "req/s"),
        Figure(f"{label}: latency p50", statistics.median(run.p50_ms for run in runs), "ms"),
        Figure(f"{label}: latency p99", statistics.median(run.p99_ms for run in runs), "ms"),
    ]
    if balances:
        figures.append(Figure(f"{label}: busiest worker's CPU share", statistics.median(balances), "share"))
    return figures


def _median_rps(runs: list[LoadResult]) -> float:
    return statistics.median(run.requests_per_second for run in runs)


def _ratio(name: str, ours: list[LoadResult], theirs: list[LoadResult]) -> Figure:
    ratio = _median_rps(ours) / _median_rps(theirs)
    return Figure(name, ratio, "x", f">= {RATIO_TARGET}", ratio >= RATIO_TARGET)


@contextmanager
def _prism(executable: str) -> Iterator[servers.Server]:
    """Prism's static mock of the same spec (one Node process)."""
    port = servers.free_port()
    command = [executable, "mock", str(servers.ROOT / "openapi" / "customers.yaml"), "-h", "127.0.0.1"]
    command += ["-p", str(port), "-v", "warn"]
    with servers.running(
        command, f"http://127.0.0.1:{port}", ready_path=CUSTOMERS, headers=HEADERS, timeout_s=90
    ) as server:
        yield server


def prism_executable() -> str | None:
    """Prism from ``$PRISM``, the project's ``tools/`` npm prefix, or PATH; None when none is there."""
    explicit = os.environ.get("PRISM")
    if explicit:
        return explicit if shutil.which(explicit) else None
    local = servers.ROOT / "tools" / "node_modules" / ".bin" / "prism"
    return str(local) if local.exists() else shutil.which("prism")


@contextmanager
def _mock(*options: str, timeout_s: float = 60) -> Iterator[servers.Server]:
    """``mockserver serve`` with the bench's workers and API key (the default data unless ``options`` say)."""
    mock_options = ("--workers", str(WORKERS), "--api-key", API_KEY, "--quiet", *options)
    with servers.running_mock(*mock_options, timeout_s=timeout_s) as server:
        yield server


@contextmanager
def _baseline() -> Iterator[servers.Server]:
    """The bare Flask app on gunicorn with the same workers, worker class and sockets as ours."""
    port = servers.free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    command += ["--worker-class", WORKER_CLASS, "--threads", str(THREADS_PER_WORKER)]
    command += ["--worker-connections", str(WORKER_CONNECTIONS)]
    command += ["--reuse-port"] if BALANCED else []
    command += ["--log-level", "warning", "bench.baseline_app:app"]
    with servers.running(command, f"http://127.0.0.1:{port}", ready_path=CUSTOMERS) as server:
        yield server


def _startup(repeat: int) -> list[Figure]:
    """Seconds from spawning ``mockserver serve`` (default data) to its first answered customers request."""
    samples = []
    for _ in range(repeat):
        port = servers.free_port()
        command = servers.mockserver_command(port, "--workers", str(WORKERS), "--api-key", API_KEY, "--quiet")
        server = servers.start(command, f"http://127.0.0.1:{port}")
        try:
            samples.append(servers.wait_ready(server, CUSTOMERS, headers=HEADERS, timeout_s=60))
        finally:
            servers.stop(server)
    median = statistics.median(samples)
    return [
        Figure("start-up, default data (median)", median, "s", f"< {STARTUP_TARGET_S:g}", median < STARTUP_TARGET_S)
    ]


def _memory_at_scale() -> list[Figure]:
    """Memory of master and workers serving 100,000 generated customers, after some queries touched them."""
    port = servers.free_port()
    command = servers.mockserver_command(
        port, "--workers", str(WORKERS), "--api-key", API_KEY, "--quiet", "--count", str(LARGE_COUNT), "--seed", "1"
    )
    server = servers.start(command, f"http://127.0.0.1:{port}")
    try:
        startup = servers.wait_ready(server, CUSTOMERS, headers=HEADERS, timeout_s=600)
        for _ in range(2 * WORKERS):
            _get_json(_url(server.base_url, FILTERED))
        rss, pss = server.rss_bytes(), server.pss_bytes()
    finally:
        servers.stop(server)
    return [
        Figure(f"start-up, {LARGE_COUNT:,} generated customers", startup, "s"),
        Figure(f"memory at {LARGE_COUNT:,} customers, RSS sum (master+workers)", rss / 2**20, "MiB"),
        Figure(f"memory at {LARGE_COUNT:,} customers, PSS sum (shared pages split)", pss / 2**20, "MiB"),
    ]


def _url(base_url: str, query: dict[str, str]) -> str:
    return f"{base_url}{CUSTOMERS}?{urlencode(query)}"


def _get_json(url: str) -> Any:
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise LoadError(message)
