"""What the contract kit reports against a staging nobody here wrote: the SQL staging (``selftest/sqlstaging``,
SQLite, written from the spec alone) at staging latency while another user writes to it, as issue 23 measured.

Per size, write rate and latency, ``contract-tests --max-examples E --seed S`` for seeds 1..N over HTTP, as a CI
job runs it (no ``--data``, ``--max-time`` bounding it and a timeout after): the exit codes (target: 0 on a correct
server without writes and at 2 writes/s; 0 or 2 at 20), the false alarms (checks that failed: the server is
correct), the share of comparisons left unsettled, the time to a verdict and the HTTP requests per example. Then
each fault of ``selftest.sqlstaging.readings.FAULTS`` at 2 writes/s: whether a run ending at its first violation
(``--max-examples 100 --max-failures 1 --no-shrink``, the ``ci`` profile) exits 1 with a check that can see the
fault (not one the fault is ``blind`` to), and how long it took.

``BENCH_SIZES=1000,100000`` chooses the sizes (default 1,000), ``BENCH_SQLSTAGE_RATES=0,2,20`` the write rates,
``BENCH_SQLSTAGE_SEEDS=N`` the seeds 1..N (default 3; ``--quick``: 2), ``BENCH_SQLSTAGE_EXAMPLES`` the examples
(default 100; ``--quick``: 50), ``BENCH_SQLSTAGE_LATENCY=low,high`` the milliseconds each answer waits (default
20,50; ``0,0``: none), ``BENCH_SQLSTAGE_FAULTS=N`` the first N faults (0: none), ``BENCH_SQLSTAGE_FAULT_RATE`` their
write rate (default 2).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.common import Figure
from customers_spec.datafile import Dataset
from mockserver.data.generate import generate_dataset
from selftest.kit_setup import API_KEY, DATASET_SEED
from selftest.servers import console_script
from selftest.sqlstaging import FAULTS, STAGING_LATENCY_MS, sql_staging
from selftest.sqlstaging.writer import WriteStats

SIZES = (1000,)
RATES = (0.0, 2.0, 20.0)
MAX_TIME_S = 300
TIMEOUT_S = 900  # --max-time stops starting examples; what was started still ends, at staging latency
COVERED = re.compile(r"covered: (\d+) examples .*?, (\d+) HTTP requests")
UNSETTLED = re.compile(r"unsettled: (\d+) of (\d+) comparisons")
FAULT_RUN = ("--max-examples", "100", "--max-failures", "1", "--no-shrink", "--hypothesis-profile", "ci")


@dataclass(frozen=True)
class KitRun:
    """One ``contract-tests`` run: its exit code (None: stopped by the timeout), the checks that failed, examples,
    HTTP requests, seconds, the server's writes meanwhile, and the comparisons left unsettled of those made."""

    exit_code: int | None
    failed: tuple[str, ...]
    examples: int
    requests: int
    seconds: float
    writes: WriteStats
    unsettled: int = 0
    compared: int = 0


def _numbers(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    text = os.environ.get(name, "")
    return tuple(float(part) for part in text.split(",") if part) or default


def run(quick: bool = False) -> list[Figure]:
    sizes = [int(size) for size in _numbers("BENCH_SIZES", SIZES)]
    rates = _numbers("BENCH_SQLSTAGE_RATES", RATES)
    seeds = range(1, int(os.environ.get("BENCH_SQLSTAGE_SEEDS", 2 if quick else 3)) + 1)
    examples = os.environ.get("BENCH_SQLSTAGE_EXAMPLES", "50" if quick else "100")
    low, high = _numbers("BENCH_SQLSTAGE_LATENCY", STAGING_LATENCY_MS)
    faults = list(FAULTS)[: int(os.environ.get("BENCH_SQLSTAGE_FAULTS", len(FAULTS)))]
    fault_rate = float(os.environ.get("BENCH_SQLSTAGE_FAULT_RATE", "2"))
    latency = f"{low:g}-{high:g} ms"
    figures: list[Figure] = []
    for size in sizes:
        dataset = generate_dataset(size, DATASET_SEED)
        for rate in rates:
            options = ("--max-examples", examples, "--max-time", str(MAX_TIME_S))
            runs = [kit_run(dataset, rate, (low, high), seed, *options) for seed in seeds]
            figures += _figures(f"{size:,} customers, {rate:g} writes/s, {latency}, {examples} examples", rate, runs)
        if faults:
            figures += _faults_caught(dataset, fault_rate, (low, high), faults)
    return figures


def kit_run(
    dataset: Dataset, rate: float, latency: tuple[float, float], seed: int, *options: str, fault: str = "correct"
) -> KitRun:
    """``contract-tests --seed SEED OPTIONS`` against the SQL staging (with ``fault``) writing at ``rate``."""
    staged = sql_staging(dataset, fault=fault, rate=rate, latency_ms=latency, seed=seed, api_keys=frozenset({API_KEY}))
    with staged as server, tempfile.TemporaryDirectory(prefix="bench-sqlstage-") as scratch:
        report = Path(scratch) / "run.json"
        command = [console_script("contract-tests"), "--base-url", server.base_url, "--api-key", API_KEY]
        command += ["--seed", str(seed), "--report", str(report), *options]
        started = time.perf_counter()
        try:
            completed = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=TIMEOUT_S)
            output, code = completed.stdout + completed.stderr, completed.returncode
        except subprocess.TimeoutExpired as stopped:
            output, code = str(stopped.stdout or "") + str(stopped.stderr or ""), None
        seconds = time.perf_counter() - started
        writes = server.stats()
        document = orjson.loads(report.read_bytes()) if report.exists() else {"failures": []}
    covered = COVERED.search(output)
    examples, requests = (int(covered.group(1)), int(covered.group(2))) if covered else (0, 0)
    failed = tuple(sorted({failure["check"] for failure in document["failures"]}))
    unsettled = UNSETTLED.search(output)
    counted = (int(unsettled.group(1)), int(unsettled.group(2))) if unsettled else (0, 0)
    result = KitRun(code, failed, examples, requests, seconds, writes, *counted)
    _progress(f"{len(dataset.customers):,} customers, {rate:g} writes/s, {fault}, seed {seed}: {result}")
    return result


def _figures(label: str, rate: float, runs: list[KitRun]) -> list[Figure]:
    allowed = {0} if rate <= 2 else {0, 2}
    codes = [-1 if each.exit_code is None else each.exit_code for each in runs]
    alarms = sorted({check for each in runs for check in each.failed})
    unsettled, compared = sum(each.unsettled for each in runs), sum(each.compared for each in runs)
    per_example = [each.requests / each.examples for each in runs if each.examples]
    writes = sum(each.writes.writes for each in runs)
    ok = sum(code in allowed for code in codes)
    return [
        Figure(
            f"{label}: runs ending {' or '.join(map(str, sorted(allowed)))} (exit codes {codes})",
            ok,
            f"of {len(runs)}",
            str(len(runs)),
            ok == len(runs),
        ),
        Figure(
            f"{label}: false alarms ({', '.join(alarms) or 'none'})",
            sum(code == 1 for code in codes),
            "runs",
            "0",
            1 not in codes,
        ),
        Figure(f"{label}: unsettled ({unsettled} of {compared})", 100 * unsettled / compared if compared else 0, "%"),
        Figure(
            f"{label}: time to a verdict, median (max {max(each.seconds for each in runs):.0f} s)",
            statistics.median(each.seconds for each in runs),
            "s",
        ),
        Figure(f"{label}: HTTP requests per example", statistics.mean(per_example) if per_example else 0, ""),
        Figure(f"{label}: writes made during the runs", writes, "writes"),
    ]


def _faults_caught(dataset: Dataset, rate: float, latency: tuple[float, float], faults: list[str]) -> list[Figure]:
    """Each fault served writing at ``rate``: caught when the run ends 1 with a check that can see the fault (a
    failure of a check the fault is ``blind`` to is a write taken for a violation); how long that took."""
    runs = {fault: kit_run(dataset, rate, latency, 1, *FAULT_RUN, fault=fault) for fault in faults}
    seen = {fault: sorted(set(result.failed) - FAULTS[fault].blind) for fault, result in runs.items()}
    missed = [fault for fault, result in runs.items() if result.exit_code != 1 or not seen[fault]]
    label = f"{len(dataset.customers):,} customers, {rate:g} writes/s: SQL faults caught"
    missed_text = f" (missed: {', '.join(missed)})" if missed else ""
    figures = [
        Figure(label + missed_text, len(faults) - len(missed), f"of {len(faults)}", str(len(faults)), not missed)
    ]
    for fault, result in runs.items():
        verdict = f"missed, exit {result.exit_code}" if fault in missed else f"caught by {', '.join(seen[fault])}"
        blind = sorted(set(result.failed) & FAULTS[fault].blind)
        also = f" (failed too, blind to it: {', '.join(blind)})" if blind else ""
        figures.append(Figure(f"{label}: {fault}: {verdict}{also}, seconds", result.seconds, "s"))
    return figures


def _progress(line: str) -> None:
    print(f"[sqlstage {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)
