"""How fast a failing run says why: a default ``contract-tests`` run against the correct mock and against the same
mock with four violations (``selftest.several_faults``), side by side.

Both servers hold the same 1,000 generated customers and run in processes of their own (two, one per core);
the kit runs as its CLI (a process of its own, as a CI job runs it) with the default settings (100 examples,
random profile, minimizing on) and the same seeds. The failing run must end within ``TARGET_RATIO`` times the
passing run's time (issue 17), its minimizing bounded (``contract_tests.running.minimizing``); its time,
HTTP requests and minimizing time are read from the JSON report. Seeds: ``BENCH_FAILING_SEEDS=1,2,3``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from bench.common import Figure
from mockserver.data.generate import generate_dataset
from selftest.forked import forked_server
from selftest.kit_setup import API_KEY, DATASET_SEED
from selftest.several_faults import SEVERAL, several_faults_app

CUSTOMERS = 1000
SERVER_PROCESSES = 2
TARGET_RATIO = 3.0
TIMEOUT_S = 1800


def run(quick: bool = False) -> list[Figure]:
    seeds = [int(seed) for seed in os.environ.get("BENCH_FAILING_SEEDS", "1" if quick else "1,2,3").split(",")]
    dataset = generate_dataset(CUSTOMERS, DATASET_SEED)
    runs: dict[str, list[dict[str, Any]]] = {}
    for label, names in (("passing", ()), ("failing", SEVERAL)):
        with _served(several_faults_app(dataset, names, api_keys=frozenset({API_KEY}))) as base_url:
            runs[label] = [_cli_run(base_url, seed) for seed in seeds]
    passing, failing = runs["passing"], runs["failing"]
    if any(each["exit_code"] != 0 for each in passing) or any(each["exit_code"] != 1 for each in failing):
        raise RuntimeError(f"unexpected verdicts: {[each['exit_code'] for each in passing + failing]}")
    time_ratio = _median(failing, "wall_s") / _median(passing, "wall_s")
    request_ratio = _median(failing, "requests") / _median(passing, "requests")
    n = f"median of {len(seeds)} seeds"
    return [
        Figure(f"passing run (correct mock), wall time, {n}", _median(passing, "wall_s"), "s"),
        Figure(f"passing run, HTTP requests, {n}", _median(passing, "requests"), "requests"),
        Figure(f"failing run ({len(SEVERAL)} faults), wall time, {n}", _median(failing, "wall_s"), "s"),
        Figure(f"failing run, HTTP requests, {n}", _median(failing, "requests"), "requests"),
        Figure(f"failing run, time spent minimizing, {n}", _median(failing, "minimizing_s"), "s"),
        Figure(f"failing run, distinct violations reported, {n}", _median(failing, "failures"), ""),
        Figure("failing / passing wall time", time_ratio, "x", f"<= {TARGET_RATIO:g}", time_ratio <= TARGET_RATIO),
        Figure("failing / passing HTTP requests", request_ratio, "x"),
    ]


def _cli_run(base_url: str, seed: int) -> dict[str, Any]:
    """One default ``contract-tests`` run: exit code, wall time, requests and minimizing time from its report."""
    with tempfile.TemporaryDirectory(prefix="bench-failing-") as scratch:
        report = Path(scratch) / "run.json"
        command = [sys.executable, "-c", "from contract_tests.cli import main; main()"]
        command += ["--base-url", base_url, "--api-key", API_KEY, "--seed", str(seed), "--report", str(report)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, cwd=scratch)
        wall_s = time.perf_counter() - started
        if not report.exists():
            raise RuntimeError(f"seed {seed}: no report\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        document = orjson.loads(report.read_bytes())
    print(
        f"[failing {time.strftime('%H:%M:%S')}] {base_url} seed {seed}: {document['verdict']}, {wall_s:.1f} s,"
        f" {document['run']['http_requests']} requests, minimizing {document['minimizing']['seconds']} s",
        file=sys.stderr,
        flush=True,
    )
    return {
        "exit_code": done.returncode,
        "wall_s": wall_s,
        "requests": document["run"]["http_requests"],
        "minimizing_s": document["minimizing"]["seconds"],
        "failures": len(document["failures"]),
    }


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(each[key] for each in runs))


@contextlib.contextmanager
def _served(app: Any) -> Iterator[str]:
    with forked_server(app, processes=SERVER_PROCESSES) as base_url:
        yield base_url
