"""Varied queries: thousands of distinct realistic URLs in random order, beside the repeated default page, and
json-server 0.17 (a peer mock that really filters, sorts and pages) on the same data in the same run.

The repeated default page is prepared once at start-up, so its figure is a cache hit by construction; the
varied mix (``bench.varied``, 4,000 distinct queries, more than the parsed-query LRU's 256 entries and the
result cache's 32) is not. wrk (``-t2 -c32``) walks the targets with ``selftest/walk.lua``; the targets are loaded
one at a time in interleaved rounds, so a busy moment of the shared machine hits each alike. Per size:
start-up (``--data FILE``, and ``--count N`` from 100,000 on), requests/s and latency, RSS/PSS of master and
workers after the varied load. Targets (issue 10):
- 1,000 customers: varied queries >= 10x json-server's req/s;
- 100,000: varied >= 1/3 of the default page's req/s, p99 <= 100 ms, RSS <= 1 GiB, start-up <= 5 s;
- 1,000,000 (``BENCH_MILLION=1``; several minutes): starts, RSS < 6 GiB, varied >= 100 req/s.
``BENCH_SIZES=1000,100000`` picks the sizes; json-server runs at 1,000 customers (``BENCH_PEER_MAX`` raises it).
``BENCH_STARTUP_ONLY=1`` stops after the start-up figures (time, and peak RSS/PSS of all processes meanwhile);
``BENCH_VARIED_SKIP_STARTUP=1`` leaves them out, for a quicker loop on the request path.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

import orjson

from bench.common import Figure
from bench.varied import varied_queries, wrk_paths
from selftest import servers
from selftest.loadgen import LoadError, LoadResult, run_wrk

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
API_KEY = "bench-key"
HEADERS = {"x-API-Key": API_KEY}
CUSTOMERS = "/v2/customers"
QUERIES = 4000
CONNECTIONS, THREADS = 32, 2
SEED = 1
STARTUP_MEMORY_TARGET_GIB = {1_000_000: 6.0}  # all processes, during start-up
KIT_FROM, KIT_WORKERS = 100_000, 4  # sizes the kit's verdict on the mock is part of the bench from (smaller: tests)
KIT_MAIN = "import sys; from contract_tests.cli import main; sys.exit(main())"
PEER_DIR = Path(__file__).resolve().parent / ".peers"  # json-server installed here on first use (gitignored)
PEER_PACKAGE = "json-server@0.17"
DEFAULT, VARIED, PEER = "repeated default page (prepared once: a cache hit)", "varied queries", "json-server 0.17"


def run(quick: bool = False) -> list[Figure]:
    """Figures per size; ``quick``: 1,000 customers only, one short round."""
    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
    if os.environ.get("BENCH_MILLION") == "1" and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    if quick:
        sizes = [1000]
    seconds, rounds = (2.0, 1) if quick else (5.0, 3)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-varied-") as scratch:
        for size in sizes:
            figures += _one_size(size, Path(scratch), seconds, rounds)
    return figures


def _one_size(size: int, scratch: Path, seconds: float, rounds: int) -> list[Figure]:
    label = f"{size:,} customers"
    data = scratch / f"customers-{size}.json"
    started = time.perf_counter()
    _generate(size, data)
    figures = [Figure(f"{label}: generate the data file (mockserver generate)", time.perf_counter() - started, "s")]
    startup_target = 5.0 if size <= 100_000 else None
    memory_gib = STARTUP_MEMORY_TARGET_GIB.get(size)
    with_startup = os.environ.get("BENCH_VARIED_SKIP_STARTUP") != "1"  # "1": a quicker loop on the request path
    if with_startup and size >= 100_000:
        figures.extend(
            _startup(
                f"{label}: start-up, --count {size} --seed {SEED}",
                startup_target,
                "--count",
                str(size),
                "--seed",
                str(SEED),
                memory_gib=memory_gib,
            )
        )
    if with_startup:
        name = f"{label}: start-up, --data FILE"
        figures.extend(_startup(name, startup_target, "--data", str(data), memory_gib=memory_gib))
    if os.environ.get("BENCH_STARTUP_ONLY") == "1":  # start-up only, e.g. to measure it quickly
        return figures
    customers = orjson.loads(data.read_bytes())["customers"]
    queries = varied_queries(customers, QUERIES)
    mock_targets = scratch / f"mock-{size}.txt"
    mock_targets.write_text(wrk_paths(CUSTOMERS, [query.mock for query in queries]), encoding="utf-8")
    peer_max = int(os.environ.get("BENCH_PEER_MAX", "1000"))
    with ExitStack() as stack:
        mock = stack.enter_context(_mock(size, "--data", str(data)))
        _check_targets(mock.base_url, mock_targets, sample=50)
        targets: dict[str, tuple[str, Path | None, servers.Server]] = {
            DEFAULT: (mock.base_url + CUSTOMERS, None, mock),
            VARIED: (mock.base_url + CUSTOMERS, mock_targets, mock),
        }
        peer_program = json_server() if size <= peer_max else None
        if size <= peer_max and peer_program is None:
            figures.append(Figure(f"{label}: json-server NOT FOUND (needs npm)", float("nan"), "", "present", False))
        if peer_program is not None:
            database = scratch / f"db-{size}.json"
            database.write_bytes(orjson.dumps({"customers": customers}))
            peer_targets = scratch / f"peer-{size}.txt"
            peer_targets.write_text(wrk_paths("/customers", [query.json_server for query in queries]), "utf-8")
            peer = stack.enter_context(_json_server(peer_program, database))
            _check_targets(peer.base_url, peer_targets, sample=20, headers={})
            targets[PEER] = (peer.base_url + "/customers", peer_targets, peer)
        results = _load_interleaved(targets, seconds, rounds)
        rss, pss = mock.rss_bytes(), mock.pss_bytes()
        if size >= KIT_FROM:
            figures += _kit_verdict(label, mock.base_url)
    for name, runs in results.items():
        p99 = statistics.median(run.p99_ms for run in runs)
        judged = name == VARIED and size == 100_000
        figures += [
            Figure(f"{label}: {name}: throughput", _median_rps(runs), "req/s"),
            Figure(f"{label}: {name}: latency p50", statistics.median(run.p50_ms for run in runs), "ms"),
            Figure(
                f"{label}: {name}: latency p99", p99, "ms", "<= 100" if judged else "", p99 <= 100 if judged else None
            ),
        ]
    share = _median_rps(results[VARIED]) / _median_rps(results[DEFAULT])
    if size == 100_000:
        figures.append(Figure(f"{label}: varied / default page req/s", share, "x", ">= 0.333", share >= 1 / 3))
    else:
        figures.append(Figure(f"{label}: varied / default page req/s", share, "x"))
    if PEER in results:
        ratio = _median_rps(results[VARIED]) / _median_rps(results[PEER])
        figures.append(Figure(f"{label}: varied, mock / json-server req/s", ratio, "x", ">= 10", ratio >= 10))
    if size >= 1_000_000:
        varied = _median_rps(results[VARIED])
        figures.append(Figure(f"{label}: varied req/s", varied, "req/s", ">= 100", varied >= 100))
    memory_target = {100_000: 1.0, 1_000_000: 6.0}.get(size)
    figures.append(
        Figure(
            f"{label}: RSS sum (master+{WORKERS} workers) after varied load",
            rss / 2**20,
            "MiB",
            f"<= {memory_target * 1024:,.0f}" if memory_target else "",
            rss <= memory_target * 2**30 if memory_target else None,
        )
    )
    figures.append(Figure(f"{label}: PSS sum after varied load", pss / 2**20, "MiB"))
    return figures


def _kit_verdict(label: str, base_url: str) -> list[Figure]:
    """One default run of the ``contract-tests`` command against the mock, as a CI job runs it (the meaning
    checks too, without the data): the mock must pass it at every size."""
    with tempfile.TemporaryDirectory(prefix="bench-varied-kit-") as scratch:
        report = Path(scratch) / "kit.json"
        command = [sys.executable, "-c", KIT_MAIN, "--base-url", base_url, "--api-key", API_KEY]
        command += ["--workers", str(KIT_WORKERS), "--timeout", "120", "--report", str(report)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1) or not report.exists():
            raise RuntimeError(
                f"contract-tests exited with {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
        failures = orjson.loads(report.read_bytes())["failures"]
    name = f"{label}: contract-tests (default run, {KIT_WORKERS} workers) against the mock"
    return [
        Figure(f"{name}: violations", len(failures), "", "0", not failures),
        Figure(f"{name}: run time", seconds, "s"),
    ]


def _generate(size: int, path: Path) -> None:
    command = [sys.executable, "-m", "mockserver", "generate", "--count", str(size), "--seed", str(SEED)]
    subprocess.run([*command, "--output", str(path)], check=True, capture_output=True, timeout=1800)


def _load_interleaved(
    targets: dict[str, tuple[str, Path | None, servers.Server]], seconds: float, rounds: int
) -> dict[str, list[LoadResult]]:
    for url, walk, _ in targets.values():
        run_wrk(url, seconds=1, connections=CONNECTIONS, threads=THREADS, headers=HEADERS, targets=walk)
    results: dict[str, list[LoadResult]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (url, walk, _) in targets.items():
            result = run_wrk(
                url, seconds=seconds, connections=CONNECTIONS, threads=THREADS, headers=HEADERS, targets=walk
            )
            if result.failures:
                raise LoadError(f"{name}: {result.non_2xx} non-2xx and {result.socket_errors} socket errors")
            results[name].append(result)
    return results


def _median_rps(runs: list[LoadResult]) -> float:
    return statistics.median(run.requests_per_second for run in runs)


def _startup(name: str, target_s: float | None, *options: str, memory_gib: float | None = None) -> list[Figure]:
    """Seconds from spawning ``mockserver serve OPTIONS`` to its first answered customers request, and in a
    second start-up the peak memory of all its processes (the store is built in a child and in forked workers:
    all counted), the largest judged against ``memory_gib``. Sampling ``/proc`` costs CPU (reading PSS walks
    every page table), so the timed start-up is not sampled."""
    seconds = _started(options)
    rss, pss, in_use = _started_sampled(options)
    memory = [
        Figure(f"{name}: peak RSS sum of all processes", rss[0] / 2**20, "MiB"),
        Figure(f"{name}: peak PSS sum of all processes", pss[0] / 2**20, "MiB"),
        Figure(f"{name}: peak private RSS sum + shared-memory files", in_use[0] / 2**20, "MiB"),
    ]
    if memory_gib is not None:
        largest, limit = max(rss[0], in_use[0]), memory_gib * 2**30
        judged = f"< {limit / 2**20:,.0f}", largest < limit
        memory.append(Figure(f"{name}: peak memory, the larger of the two", largest / 2**20, "MiB", *judged))
    if target_s is None:
        return [Figure(name, seconds, "s"), *memory]
    return [Figure(name, seconds, "s", f"<= {target_s:g}", seconds <= target_s), *memory]


def _started(options: Sequence[str]) -> float:
    """Seconds from spawning the server to its first answered customers request (it is stopped then)."""
    server = _spawned(options)
    try:
        return servers.wait_ready(server, CUSTOMERS, headers=HEADERS, timeout_s=1800)
    finally:
        servers.stop(server)


def _started_sampled(options: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """The peaks of ``_peak_memory`` over a start-up, until the first answered request."""
    server = _spawned(options)
    with _peak_memory(server) as peaks:
        try:
            servers.wait_ready(server, CUSTOMERS, headers=HEADERS, timeout_s=1800)
        finally:
            servers.stop(server)
    return peaks


def _spawned(options: Sequence[str]) -> servers.Server:
    port = servers.free_port()
    command = servers.mockserver_command(port, "--workers", str(WORKERS), "--api-key", API_KEY, "--quiet", *options)
    return servers.start(command, f"http://127.0.0.1:{port}")


@contextmanager
def _peak_memory(server: servers.Server, every_s: float = 0.1) -> Iterator[tuple[list[int], list[int], list[int]]]:
    """The largest RSS and PSS sums of the server's process tree, sampled until the block ends, and the largest
    memory in use: the tree's private RSS plus what shared-memory files gained since the start (the store and
    its pieces are handed between processes there, and are in no RSS until mapped and read)."""
    rss, pss, in_use = [0], [0], [0]
    shared_before = servers.shared_memory_bytes()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(every_s):
            rss[0] = max(rss[0], server.rss_bytes())
            pss[0] = max(pss[0], server.pss_bytes())
            shared = max(0, servers.shared_memory_bytes() - shared_before)
            in_use[0] = max(in_use[0], server.anonymous_bytes() + shared)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield rss, pss, in_use
    finally:
        done.set()
        sampler.join()


@contextmanager
def _mock(size: int, *options: str) -> Iterator[servers.Server]:
    mock_options = ("--workers", str(WORKERS), "--api-key", API_KEY, "--quiet", *options)
    with servers.running_mock(*mock_options, timeout_s=max(60.0, size / 500)) as server:
        yield server


def json_server() -> str | None:
    """json-server 0.17 from ``$JSON_SERVER`` or ``bench/.peers`` (installed there with npm when missing)."""
    explicit = os.environ.get("JSON_SERVER")
    if explicit:
        return explicit if shutil.which(explicit) else None
    program = PEER_DIR / "node_modules" / ".bin" / "json-server"
    if not program.exists():
        npm = shutil.which("npm")
        if npm is None:
            return None
        command = [npm, "install", "--prefix", str(PEER_DIR), "--no-package-lock", "--no-audit", "--no-fund"]
        subprocess.run([*command, "--loglevel=error", PEER_PACKAGE], check=False, capture_output=True, timeout=600)
    return str(program) if program.exists() else None


@contextmanager
def _json_server(program: str, database: Path) -> Iterator[servers.Server]:
    port = servers.free_port()
    command = [program, "--host", "127.0.0.1", "--port", str(port), "--read-only", "--quiet", str(database)]
    with servers.running(command, f"http://127.0.0.1:{port}", ready_path="/customers?_limit=1", timeout_s=120) as peer:
        yield peer


def _check_targets(base_url: str, targets: Path, *, sample: int, headers: dict[str, str] | None = None) -> None:
    """A sample of the targets answers 200 with a JSON array, so the load measures real answers."""
    lines = targets.read_text(encoding="utf-8").splitlines()
    for line in lines[:sample]:
        request = urllib.request.Request(base_url + line, headers=HEADERS if headers is None else headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status != 200 or not isinstance(orjson.loads(response.read()), list):
                raise LoadError(f"{line}: not a 200 with a JSON array")
    if len(set(lines)) < QUERIES:
        raise LoadError(f"only {len(set(lines))} distinct targets")
