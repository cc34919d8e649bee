"""Serving the proxy under gunicorn (gthread workers, keep-alive), and gathering the workers' outcomes at exit.

Measured (``bench/bench_proxy.py``): werkzeug's threaded server closes every connection and starts a thread per
request, and one process judges ~700 answers/s on this 2-core machine; gunicorn's gthread workers keep
connections alive and two of them spread the judging over both cores. Each worker judges on its own, so at
exit (SIGINT/SIGTERM to the master) every worker writes what it found to a file, and the master merges them
into one outcome for the summary table and the reports.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
from pathlib import Path
from typing import Any

import orjson

from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.reporting.plain import merged, outcome_of, plain_outcome
from customers_serving.application import PreloadedApplication

THREADS_PER_WORKER = 16


def _settings(app: ProxyApp, *, workers: int, results: Path) -> dict[str, Any]:
    """Gunicorn's settings for the proxy: gthread workers that leave their findings in ``results`` at exit."""

    def worker_exit(server: Any, worker: Any) -> None:
        """In the worker, on its way out: its outcome as a file the master reads."""
        (results / f"{os.getpid()}.json").write_bytes(orjson.dumps(snapshot(app)))

    return {
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "timeout": int(app.timeout) + 30,
        "graceful_timeout": 5,
        "keepalive": 5,
        "proc_name": "contract-tests-proxy",
        "post_worker_init": _leave_sigint_to_the_master,
        "worker_exit": worker_exit,
    }


def _leave_sigint_to_the_master(worker: Any) -> None:
    """Ctrl-C in a terminal signals the whole process group: the master alone acts on it, stopping each worker
    once (a worker hit by both signals could be killed before it wrote what it found)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def serve(app: ProxyApp, listener: socket.socket, *, workers: int) -> None:
    """Run until SIGINT/SIGTERM; then ``app.judge`` holds the merged outcome of every worker (in the master)."""
    master = os.getpid()
    results = Path(tempfile.mkdtemp(prefix="contract-tests-proxy-"))
    try:
        PreloadedApplication(app, listener, _settings(app, workers=workers, results=results)).run()
    except SystemExit:
        if os.getpid() != master:
            raise  # a worker leaving: gunicorn's own exit, after its ``worker_exit`` hook wrote its findings
    finally:
        if os.getpid() == master:
            merge_into(app, [orjson.loads(path.read_bytes()) for path in sorted(results.glob("*.json"))])
            shutil.rmtree(results, ignore_errors=True)


def snapshot(app: ProxyApp) -> dict[str, Any]:
    """A worker's findings as plain data (see ``reporting.plain.plain_outcome``), with its pass-through count."""
    judge = app.judge
    return {
        "outcome": plain_outcome(judge.outcome, judge.spec.api_key_header),
        "passed_through": judge.passed_through,
        "own_answers": {str(status): count for status, count in judge.own_answers.items()},
    }


def merge_into(app: ProxyApp, snapshots: list[dict[str, Any]]) -> None:
    """The workers' findings summed into the master's (empty) outcome."""
    judge = app.judge
    judge.outcome = merged([outcome_of(each["outcome"]) for each in snapshots], checks=judge.outcome.checks)
    judge.passed_through += sum(each["passed_through"] for each in snapshots)
    for each in snapshots:
        judge.own_answers.update({int(status): count for status, count in each.get("own_answers", {}).items()})
