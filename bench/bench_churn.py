"""What the contract kit reports against a churning staging (``selftest/churn``), as issue 17 measured it.

The correct mock, served by a process of its own, while its writer adds, removes, renames and changes the
status of customers at 2 and 20 writes per second, and without writes as the control; the ``contract-tests``
command runs against it over HTTP as a CI job does (no ``--data``, seed 1): once with ``--max-examples 30`` and
once at the default settings, stopped by ``--max-time 300`` (and a timeout, since shrinking comes after).
Per run: the exit code (target: 0 on a correct server without writes and at 2 writes/s; 0 or 2 at 20), the
checks that failed (false alarms: the server is correct), the share of comparisons left unsettled, examples,
HTTP requests, seconds, and the writes the server made meanwhile. Per rate, each engine fault of
``selftest.faults`` served churning the same way: whether a run as ``tests/contract_tests/test_churn.py``'s
(100 examples of the ``ci`` profile, no shrinking, ending at the first violation) still catches it with a
meaning check.

``BENCH_SIZES`` (or ``BENCH_CHURN_SIZES``) ``=1000,100000`` and ``BENCH_CHURN_RATES=0,2,20`` choose the servers
(default: 1,000 customers at 0, 2 and 20 writes/s); ``BENCH_CHURN_FAULTS=N`` runs the first N engine faults
only (0: none); ``--quick`` runs the 30-example runs only.

Issue 23's staging conditions: ``BENCH_CHURN_LATENCY=0,20-50`` (the default) serves each rate also with every
answer 20-50 ms later (``selftest.churn.latency``); ``BENCH_CHURN_MIX=invisible`` (the default; ``visible``:
issue 17's mix) writes what the sign of change cannot see (renames, status changes, an add and a remove past
the first 1,000 that keep the total). Per rate and latency: false alarms, the unsettled share, the time to a
verdict (and, on moving data, as a multiple of the still-data run at that latency: target <= 3), and the faults
caught. ``BENCH_CHURN_BEFORE=/path/to/contract-tests`` runs another build of the kit beside this one on the
same servers (before/after in one run). ``BENCH_CHURN_SEED=N`` (default 1) seeds the kit and the writer.
"""

from __future__ import annotations

import os
import re
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
from selftest.churn import WriteStats, churning_app, churning_server
from selftest.churn.app import CORRECT
from selftest.faults import ENGINE_FAULTS, MEANING, Fault
from selftest.kit_setup import API_KEY, DATASET_SEED
from selftest.servers import console_script

SIZES = (1000,)
RATES = (0.0, 2.0, 20.0)
SEED = int(os.environ.get("BENCH_CHURN_SEED", "1"))  # the kit's seed and the writer's
MAX_TIME_S = 300
TIMEOUT_S = 600  # --max-time stops starting examples; shrinking what failed comes after it
RUNS = {"30 examples": ("--max-examples", "30"), "default run": ("--max-time", str(MAX_TIME_S))}
COVERED = re.compile(r"covered: (\d+) examples .*?, (\d+) HTTP requests")
UNSETTLED = re.compile(r"unsettled: (\d+) of (\d+) comparisons")
MOVED = re.compile(r"the data was seen to move in \d+ of \d+ windows?")
SHAPE = ("not_server_error", "status_code_documented", "content_type", "response_schema", "auth_enforced")
FAULT_RUN: tuple[str, ...] = ("--max-examples", "100", "--max-failures", "1", "--no-shrink", "--hypothesis-profile")
FAULT_RUN += ("ci", "--checks", ",".join([*SHAPE, *sorted(MEANING)]))


@dataclass(frozen=True)
class KitRun:
    """One ``contract-tests`` run against a churning server: its exit code (None: stopped by the timeout), the
    checks that failed, examples, HTTP requests, seconds, and the server's writes meanwhile."""

    exit_code: int | None
    failed: tuple[str, ...]
    examples: int
    requests: int
    seconds: float
    writes: WriteStats
    unsettled: int = 0
    compared: int = 0  # comparisons between answers, settled or not
    moved: str = ""  # "the data was seen to move in N of M windows" (kits that say it)

    @property
    def share(self) -> float:
        """The unsettled share of the comparisons."""
        return self.unsettled / self.compared if self.compared else 0.0


@dataclass(frozen=True)
class Server:
    """How a churning server is served: writes per second, latency (ms, None: none), and the mix of writes."""

    rate: float
    latency: tuple[float, float] | None = None
    mix: str = "invisible"

    @property
    def label(self) -> str:
        delay = f", {self.latency[0]:g}-{self.latency[1]:g} ms" if self.latency else ""
        return f"{self.rate:g} writes/s{delay}" + (f", {self.mix} writes" if self.rate else "")


def _latencies() -> list[tuple[float, float] | None]:
    found: list[tuple[float, float] | None] = []
    for text in os.environ.get("BENCH_CHURN_LATENCY", "0,20-50").split(","):
        low, _, high = text.partition("-")
        found.append(None if float(low) == 0 and not high else (float(low), float(high or low)))
    return found


def _kits() -> dict[str, str]:
    """The kit builds to run: this one, and the one of ``BENCH_CHURN_BEFORE`` if given."""
    kits = {"after": console_script("contract-tests")}
    if os.environ.get("BENCH_CHURN_BEFORE"):
        kits = {"before": os.environ["BENCH_CHURN_BEFORE"], **kits}
    return kits


def run(quick: bool = False) -> list[Figure]:
    sizes_text = os.environ.get("BENCH_SIZES") or os.environ.get("BENCH_CHURN_SIZES", "")
    sizes = [int(size) for size in sizes_text.split(",") if size] or SIZES
    rates = [float(rate) for rate in os.environ.get("BENCH_CHURN_RATES", "").split(",") if rate] or RATES
    faults = ENGINE_FAULTS[: int(os.environ.get("BENCH_CHURN_FAULTS", len(ENGINE_FAULTS)))]
    mix = os.environ.get("BENCH_CHURN_MIX", "invisible")
    runs = {"30 examples": RUNS["30 examples"]} if quick else RUNS
    kits = _kits()
    figures: list[Figure] = []
    for size in sizes:
        dataset = generate_dataset(size, DATASET_SEED)
        for latency in _latencies():
            still: dict[tuple[str, str], float] = {}  # per kit and run: seconds on still data
            for rate in rates:
                server = Server(rate, latency, mix)
                for kit, command in kits.items():
                    for label, options in runs.items():
                        result = kit_run(dataset, server, *options, kit=command)
                        if rate == 0:
                            still[kit, label] = result.seconds
                        name = f"{size:,} customers, {server.label}, {label}" + (f", {kit}" if len(kits) > 1 else "")
                        figures += _figures(name, rate, result, still.get((kit, label)))
                    if faults:
                        figures.append(_faults_caught(dataset, server, faults, kit, command, len(kits) > 1))
    return figures


def _faults_caught(
    dataset: Dataset, server: Server, faults: list[Fault], kit: str, command: str, named: bool
) -> Figure:
    """How many engine faults a run catches with a meaning check while the data churns as ``server`` says."""
    missed = [
        fault.name
        for fault in faults
        if not fault.caught_by & set(kit_run(dataset, server, *FAULT_RUN, fault=fault, kit=command).failed)
    ]
    caught = len(faults) - len(missed)
    label = f"{len(dataset.customers):,} customers, {server.label}: engine faults caught"
    label += f", {kit}" if named else ""
    missed_text = f" (missed: {', '.join(missed)})" if missed else ""
    return Figure(label + missed_text, caught, f"of {len(faults)}", str(len(faults)), not missed)


def kit_run(dataset: Dataset, server: Server, *options: str, fault: Fault = CORRECT, kit: str = "") -> KitRun:
    """``contract-tests`` (``kit``: its script) with ``options`` against the mock (with ``fault``) on ``dataset``
    churning as ``server`` says."""
    app = churning_app(
        dataset,
        rate=server.rate,
        seed=SEED,
        fault=fault,
        mix=server.mix,
        latency_ms=server.latency,
        api_keys=frozenset({API_KEY}),
    )
    with churning_server(app) as served, tempfile.TemporaryDirectory(prefix="bench-churn-") as scratch:
        report = Path(scratch) / "run.json"
        command = [kit or console_script("contract-tests"), "--base-url", served.base_url, "--api-key", API_KEY]
        command += ["--seed", str(SEED), "--report", str(report), *options]
        started = time.perf_counter()
        try:
            completed = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=TIMEOUT_S)
            output, code = completed.stdout + completed.stderr, completed.returncode
        except subprocess.TimeoutExpired as stopped:
            output, code = str(stopped.stdout or "") + str(stopped.stderr or ""), None
        seconds = time.perf_counter() - started
        writes = served.stats()
        document = orjson.loads(report.read_bytes()) if report.exists() else {"failures": []}
    covered = COVERED.search(output)
    examples, requests = (int(covered.group(1)), int(covered.group(2))) if covered else (0, 0)
    failed = tuple(sorted({failure["check"] for failure in document["failures"]}))
    unsettled = UNSETTLED.search(output)
    counted = (int(unsettled.group(1)), int(unsettled.group(2))) if unsettled else (0, 0)
    moved = MOVED.search(output)
    result = KitRun(code, failed, examples, requests, seconds, writes, *counted, moved.group(0) if moved else "")
    what = f"{len(dataset.customers):,} customers, {server.label}, {fault.name}, {' '.join(options)}"
    _progress(f"{what}: {result}")
    return result


def _figures(label: str, rate: float, result: KitRun, still_s: float | None = None) -> list[Figure]:
    allowed = {0} if rate <= 2 else {0, 2}
    code = -1 if result.exit_code is None else result.exit_code
    failed, writes = result.failed, result.writes
    moved = f"; {result.moved}" if result.moved else ""
    figures = [
        Figure(f"{label}: exit code (-1: stopped after {TIMEOUT_S} s)", code, "", _either(allowed), code in allowed),
        Figure(
            f"{label}: false alarms, checks failed ({', '.join(failed) or 'none'})", len(failed), "", "0", not failed
        ),
        Figure(f"{label}: unsettled ({result.unsettled} of {result.compared}{moved})", 100 * result.share, "%"),
        Figure(f"{label}: examples / HTTP requests", result.examples, f"/ {result.requests}"),
        Figure(f"{label}: seconds to a verdict", result.seconds, "s"),
        Figure(f"{label}: writes made ({writes.writes} in {writes.seconds:.0f} s)", writes.per_second, "writes/s"),
    ]
    if rate and still_s:
        ratio = result.seconds / still_s
        figures.append(Figure(f"{label}: time to a verdict / still data", ratio, "x", "<= 3", ratio <= 3))
    return figures


def _either(codes: set[int]) -> str:
    return " or ".join(map(str, sorted(codes)))


def _progress(line: str) -> None:
    print(f"[churn {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)
