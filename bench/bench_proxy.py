"""What ``contract-tests proxy`` costs: req/s and latency through it against the upstream (the mock) directly.

One run, the same load tool (wrk, 16 keep-alive connections) on every target, in interleaved rounds (medians
reported): the default page (100 customers) and varied queries (a wrk script cycling through 2,000 paging,
sort and filter queries), each straight to the mock and through the proxy, which judges every answer. The
default page repeats, so the proxy's verdict cache answers it; it is measured without the cache too. The
varied queries outnumber the cache, so every one of them is judged afresh. Target on a 2-core machine:
>= 1,000 judged answers/s at the default page. At the end each proxy is stopped with SIGTERM and its summary
must say the mock conformed and how many answers it judged: the figures are of judged traffic.
"""

from __future__ import annotations

import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.common import Figure
from selftest import servers
from selftest.loadgen import LoadError, LoadResult, run_wrk

API_KEY = "bench-key"
HEADERS = {"x-API-Key": API_KEY}
CUSTOMERS = "/v2/customers"
CONNECTIONS = 16
PROXY_WORKERS = int(os.environ.get("BENCH_PROXY_WORKERS", "2"))
JUDGED_TARGET = 1000.0
VARIED_COUNT = 2000  # more than the verdict cache holds (512): each one is judged afresh
SORTS = ("name:1", "name:-1", "address.city:1,name:-1", "number:-1", "status.createdAt:1")
TEXTS = ("er", "rei", "gmbh", "ber", "an", "ko")
VERDICT = re.compile(r"^(conforms: |\d+ contract violation|COULD NOT TEST)")


def run(quick: bool = False) -> list[Figure]:
    seconds, rounds = (2.0, 1) if quick else (3.0, 3)
    with ExitStack() as stack:
        mock = stack.enter_context(servers.running_mock("--workers", "1", "--api-key", API_KEY, "--quiet"))
        proxy = stack.enter_context(_proxy(mock.base_url))
        uncached = stack.enter_context(_proxy(mock.base_url, "--no-verdict-cache"))
        script = stack.enter_context(_varied_script())
        targets = {
            "direct: default page (100)": Target(mock.base_url + CUSTOMERS, mock),
            "proxy: default page (100)": Target(proxy.base_url + CUSTOMERS, proxy),
            "proxy, no verdict cache: default page (100)": Target(uncached.base_url + CUSTOMERS, uncached),
            f"direct: {VARIED_COUNT} varied queries": Target(mock.base_url, mock, script),
            f"proxy: {VARIED_COUNT} varied queries": Target(proxy.base_url, proxy, script),
        }
        results, cpu = _load_interleaved(targets, seconds, rounds)
        summaries = {"proxy": _stop_for_summary(proxy), "proxy, no verdict cache": _stop_for_summary(uncached)}
    figures: list[Figure] = []
    for label, runs in results.items():
        figures += [
            Figure(f"{label}: throughput", _rps(runs), "req/s"),
            Figure(f"{label}: latency p50", statistics.median(run.p50_ms for run in runs), "ms"),
            Figure(f"{label}: latency p99", statistics.median(run.p99_ms for run in runs), "ms"),
            # CPU per answer of the serving processes: what the figure would be on a machine of its own.
            Figure(f"{label}: CPU per answer (server's processes)", cpu[label], "ms"),
        ]
    for label in ("proxy", "proxy, no verdict cache"):
        judged = _rps(results[f"{label}: default page (100)"])
        figures.append(
            Figure(f"{label}: judged answers/s, default page", judged, "req/s", ">= 1000", judged >= JUDGED_TARGET)
        )
    for kind in ("default page (100)", f"{VARIED_COUNT} varied queries"):
        direct, proxied = results[f"direct: {kind}"], results[f"proxy: {kind}"]
        overhead = statistics.median(run.p50_ms for run in proxied) - statistics.median(run.p50_ms for run in direct)
        figures.append(Figure(f"proxy overhead, {kind}: added latency p50", overhead, "ms"))
        figures.append(Figure(f"proxy / direct req/s, {kind}", _rps(proxied) / _rps(direct), "x"))
    figures += [_judged_figure(label, summary) for label, summary in summaries.items()]
    return figures


@contextmanager
def _proxy(upstream: str, *options: str) -> Iterator[servers.Server]:
    port = servers.free_port()
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()", "proxy", "--upstream", upstream]
    command += ["--port", str(port), "--workers", str(PROXY_WORKERS), *options]
    with servers.running(command, f"http://127.0.0.1:{port}", ready_path="/openapi.yaml") as server:
        yield server


def varied_queries(count: int = VARIED_COUNT, seed: int = 7) -> list[str]:
    """Paths with paging, sorts and filters (the requests a frontend's list view sends), the same every run."""
    draw = random.Random(seed)
    queries = []
    for _ in range(count):
        query: dict[str, str] = {"limit": str(draw.choice((10, 25, 50, 100))), "offset": str(draw.randrange(0, 900))}
        if draw.random() < 0.6:
            query["sort"] = draw.choice(SORTS)
        if draw.random() < 0.4:
            query["nameAndAddress"] = draw.choice(TEXTS)
        if draw.random() < 0.3:
            query["status"] = ",".join(sorted(draw.sample(("1", "2", "3"), draw.randint(1, 2))))
        if draw.random() < 0.2:
            query["offset"] = "0"
        queries.append(f"{CUSTOMERS}?{urlencode(query)}")
    return queries


@contextmanager
def _varied_script() -> Iterator[str]:
    """A wrk Lua script that sends ``varied_queries`` in turn, one per request."""
    paths = ",\n".join(f'  "{path}"' for path in varied_queries())
    text = (
        f"local paths = {{\n{paths}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n"
    )
    with tempfile.TemporaryDirectory(prefix="bench-proxy-") as folder:
        script = Path(folder) / "varied.lua"
        script.write_text(text)
        yield str(script)


@dataclass(frozen=True)
class Target:
    url: str
    server: servers.Server
    script: str | None = None


def _load_interleaved(
    targets: dict[str, Target], seconds: float, rounds: int
) -> tuple[dict[str, list[LoadResult]], dict[str, float]]:
    """Each target warmed up, then loaded once per round in turn; also the CPU ms per answer of its server."""
    for target in targets.values():
        run_wrk(target.url, seconds=1, connections=CONNECTIONS, headers=HEADERS, script=target.script)
    results: dict[str, list[LoadResult]] = {label: [] for label in targets}
    ticks: dict[str, int] = dict.fromkeys(targets, 0)
    for _ in range(rounds):
        for label, target in targets.items():
            processes = target.server.pids()
            before = sum(servers.cpu_ticks(pid) for pid in processes)
            result = run_wrk(
                target.url, seconds=seconds, connections=CONNECTIONS, headers=HEADERS, script=target.script
            )
            ticks[label] += sum(servers.cpu_ticks(pid) for pid in processes) - before
            if result.failures:
                raise LoadError(f"{label}: {result.non_2xx} non-2xx and {result.socket_errors} socket errors")
            results[label].append(result)
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    cpu = {label: ticks[label] * tick_ms / sum(run.requests for run in results[label]) for label in targets}
    return results, cpu


def _stop_for_summary(proxy: servers.Server) -> str:
    """SIGTERM to the proxy; its summary (stdout) from the log, before the log is removed."""
    os.killpg(proxy.process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        proxy.process.wait(timeout=30)
    return proxy.log_path.read_text(errors="replace")


def _judged_figure(label: str, summary: str) -> Figure:
    """How many answers the proxy judged in the run, and that none broke the contract (the mock conforms)."""
    verdict = next((line for line in summary.splitlines() if VERDICT.match(line)), "")
    if not verdict.startswith("conforms:"):
        return Figure(f"{label} verdict: {verdict or 'no summary'}", float("nan"), "", "conforms", False)
    judged = int(verdict.split()[1])
    return Figure(f"{label}: answers judged in the run, no violations", judged, "answers", "conforms", True)


def _rps(runs: list[LoadResult]) -> float:
    return statistics.median(run.requests_per_second for run in runs)
