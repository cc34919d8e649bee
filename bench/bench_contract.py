"""Examples per second and HTTP requests per example of the contract kit against the mock, beside Schemathesis.

Both tools run as their CLIs, one after the other, on the same spec, the same server (1,000 generated
customers, four gunicorn workers) and the same number of generated requests (Schemathesis: its fuzzing
phase), without shrinking, with one worker and with four; each figure is wall-clock time including start-up,
as a CI job sees it. The kit checks what the parameters mean, so one of its examples costs several HTTP
requests (pages, totals, links, relations), read from its report; Schemathesis' requests are counted in its
HAR report. The kit's requests per example are also held against those of the kit before it confirmed
disagreements (issue 17: commit 7113a43, the same command): on data that stands still nothing disagrees, so
confirming must cost almost nothing (within 10%). The last figures time a default run (100 examples) against
the mock at ``--delay 100``, as staging answers, with 1 and 4 workers: there the time goes to waiting, and
workers wait together.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure
from selftest import servers

API_KEY = "bench-key"
CUSTOMERS = 1000
SEED = 7
TIMEOUT_S = 900
MOCK_WORKERS = "4"
DELAY_MS = "100"
BEFORE_CONFIRMING = 4457 / 203  # requests per example at commit 7113a43, 200 examples, 1 worker (22.0)
COVERED = re.compile(r"covered: (\d+) examples .*?, (\d+) HTTP requests")


def run(quick: bool = False) -> list[Figure]:
    examples = 30 if quick else 200
    figures: list[Figure] = []
    mock = ("--api-key", API_KEY, "--count", str(CUSTOMERS), "--seed", str(SEED), "--workers", MOCK_WORKERS, "--quiet")
    with servers.running_mock(*mock) as server:
        for workers in (1, 4):
            ours_examples, ours_requests, ours_s = _ours_cli(server.base_url, examples, workers)
            theirs_examples, theirs_requests, theirs_s = _schemathesis_cli(server.base_url, examples, workers)
            ours_rate, theirs_rate = ours_examples / ours_s, theirs_examples / theirs_s
            figures += [
                Figure(f"contract-tests, {ours_examples} examples, {workers} worker(s)", ours_rate, "examples/s"),
                Figure(f"st run (fuzzing), {theirs_examples} examples, {workers} worker(s)", theirs_rate, "examples/s"),
                Figure(f"contract-tests / st run, {workers} worker(s)", ours_rate / theirs_rate, "x"),
                Figure(
                    f"contract-tests HTTP requests per example, {workers} worker(s)",
                    ours_requests / ours_examples,
                    "requests",
                ),
                Figure(
                    f"st run HTTP requests per example, {workers} worker(s)",
                    theirs_requests / theirs_examples,
                    "requests",
                ),
            ]
            if workers == 1 and not quick:
                figures.append(_against_before_confirming(ours_requests / ours_examples))
    delayed = 20 if quick else 100
    with servers.running_mock(*mock, "--delay", DELAY_MS) as server:
        for workers in (1, 4):
            _, _, seconds = _ours_cli(server.base_url, delayed, workers, shrink=True)
            figures.append(
                Figure(f"contract-tests at --delay {DELAY_MS}, {delayed} examples, {workers} worker(s)", seconds, "s")
            )
    return figures


def _against_before_confirming(per_example: float) -> Figure:
    """Requests per example over those of the kit before it confirmed disagreements (target: at most 1.10)."""
    ratio = per_example / BEFORE_CONFIRMING
    name = f"contract-tests requests per example / before confirming ({BEFORE_CONFIRMING:.1f}, 7113a43)"
    return Figure(name, ratio, "x", "<= 1.10", ratio <= 1.10)


def _ours_cli(base_url: str, examples: int, workers: int, *, shrink: bool = False) -> tuple[int, int, float]:
    """Examples, HTTP requests (as its report counts them) and wall-clock seconds of one ``contract-tests`` run."""
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()"]
    command += ["--base-url", base_url, "--api-key", API_KEY, "--max-examples", str(examples)]
    command += ["--seed", "1", "--invalid-api-key-rejected", "--workers", str(workers)]
    command += [] if shrink else ["--no-shrink"]
    output, seconds = _timed(command)
    covered = COVERED.search(output)
    if "conforms:" not in output or covered is None:
        raise RuntimeError(f"contract-tests did not pass against the mock:\n{output[-4000:]}")
    return int(covered.group(1)), int(covered.group(2)), seconds


def _schemathesis_cli(base_url: str, examples: int, workers: int) -> tuple[int, int, float]:
    """Generated examples, HTTP requests (entries of its HAR report) and wall-clock seconds of one ``st run``."""
    with tempfile.TemporaryDirectory() as scratch:
        har = Path(scratch) / "run.har"
        command = servers.schemathesis_command(base_url, API_KEY)
        command += ["--max-examples", str(examples), "--phases", "fuzzing", "--seed", "1", "--no-shrink"]
        command += ["--generation-database", "none", "--request-timeout", "10", "--no-color", "--workers", str(workers)]
        command += ["--report", "har", "--report-har-path", str(har)]
        output, seconds = _timed(command, cwd=scratch)
        requests = len(json.loads(har.read_text())["log"]["entries"]) if har.exists() else 0
    found = re.search(r"(\d+) generated", output)
    if found is None or not requests:
        raise RuntimeError(f"schemathesis generated nothing:\n{output[-4000:]}")
    return int(found.group(1)), requests, seconds


def _timed(command: list[str], cwd: str | None = None) -> tuple[str, float]:
    with tempfile.TemporaryDirectory() as scratch:  # no report or config file lands in the checkout
        started = time.perf_counter()
        completed = subprocess.run(
            command, cwd=cwd or scratch, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
        seconds = time.perf_counter() - started
    return completed.stdout + completed.stderr, seconds
