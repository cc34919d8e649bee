"""Examples per second of the contract kit against the mock under gunicorn, beside Schemathesis.

Both tools run as their CLIs, one after the other, on the same spec, the same server (1,000 generated
customers, two workers) and the same number of generated requests (Schemathesis: its fuzzing phase), without
shrinking; each figure is wall-clock time including start-up, as a CI job sees it. The kit checks what the
parameters mean, so one of its examples costs several HTTP requests (pages, totals, links, relations): the
in-process figures say how many and how fast it runs without interpreter start-up.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time

from bench.common import Figure
from contract_tests.kit import http_context
from contract_tests.registry import select_checks
from contract_tests.runner import Options
from contract_tests.runner import run as run_kit
from contract_tests.transport import Response
from selftest import servers

API_KEY = "bench-key"
CUSTOMERS = 1000
SEED = 7
TIMEOUT_S = 600


def run(quick: bool = False) -> list[Figure]:
    examples = 30 if quick else 200
    port = servers.free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = servers.mockserver_command(
        port, "--api-key", API_KEY, "--count", str(CUSTOMERS), "--seed", str(SEED), "--workers", "2", "--quiet"
    )
    with servers.running(command, base_url, ready_path="/v2/customers", headers={"x-API-Key": API_KEY}):
        ours_examples, ours_s = _ours_cli(base_url, examples)
        theirs_examples, theirs_s = _schemathesis_cli(base_url, examples)
        in_process_examples, requests, in_process_s = _ours_in_process(base_url, examples)
    ours_rate, theirs_rate = ours_examples / ours_s, theirs_examples / theirs_s
    return [
        Figure(f"contract-tests CLI, {ours_examples} examples", ours_rate, "examples/s"),
        Figure(f"schemathesis st run (fuzzing), {theirs_examples} examples", theirs_rate, "examples/s"),
        Figure("contract-tests / schemathesis", ours_rate / theirs_rate, "x"),
        Figure("contract-tests in-process (no start-up)", in_process_examples / in_process_s, "examples/s"),
        Figure("contract-tests HTTP requests per example", requests / in_process_examples, "requests"),
        Figure("contract-tests in-process HTTP rate", requests / in_process_s, "requests/s"),
    ]


def _ours_cli(base_url: str, examples: int) -> tuple[int, float]:
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()"]
    command += ["--base-url", base_url, "--api-key", API_KEY, "--max-examples", str(examples)]
    command += ["--seed", "1", "--no-shrink", "--invalid-api-key-rejected"]
    output, seconds = _timed(command)
    found = re.search(r"conforms: (\d+) requests", output)
    if found is None:
        raise RuntimeError(f"contract-tests did not pass against the mock:\n{output[-4000:]}")
    return int(found.group(1)), seconds


def _schemathesis_cli(base_url: str, examples: int) -> tuple[int, float]:
    command = servers.schemathesis_command(base_url, API_KEY)
    command += ["--max-examples", str(examples), "--phases", "fuzzing", "--seed", "1", "--no-shrink"]
    command += ["--generation-database", "none", "--request-timeout", "10", "--no-color"]
    output, seconds = _timed(command)
    found = re.search(r"(\d+) generated", output)
    if found is None:
        raise RuntimeError(f"schemathesis generated nothing:\n{output[-4000:]}")
    return int(found.group(1)), seconds


def _ours_in_process(base_url: str, examples: int) -> tuple[int, int, float]:
    """Examples, HTTP requests and seconds of one run inside this process (the sample read not counted)."""
    ctx = http_context(base_url, API_KEY, rejects_invalid_keys=True)
    sent = 0
    send = ctx.transport.send

    def counting(url: str, credentials: str) -> Response:
        nonlocal sent
        sent += 1
        return send(url, credentials)  # type: ignore[arg-type]

    ctx.transport.send = counting  # type: ignore[method-assign]
    started = time.perf_counter()
    outcome = run_kit(ctx, select_checks(), Options(max_examples=examples, seed=1, shrink=False))
    seconds = time.perf_counter() - started
    if outcome.exit_code != 0:
        raise RuntimeError(f"the kit found violations in the mock: {[f.check for f in outcome.failures]}")
    return outcome.examples, sent, seconds


def _timed(command: list[str]) -> tuple[str, float]:
    with tempfile.TemporaryDirectory() as scratch:  # no report or config file lands in the checkout
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        seconds = time.perf_counter() - started
    return completed.stdout + completed.stderr, seconds
