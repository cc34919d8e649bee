"""``python -m bench.compare_workers [DATA_FILE]``: gunicorn worker classes on the same app, side by side.

How the mock's worker class was chosen for slow clients: plain gthread (8 threads; blocked by 16 stalled
clients), ``mockserver.http.headfirst.HeadFirstWorker`` (gthread reading heads first: what ``mockserver serve``
runs) and gevent (when installed: ``pip install gevent``), each with 2 workers and ``--preload``, loaded in
interleaved rounds by wrk (``-t2 -c32``, 5 s) with the repeated default page and the varied query mix.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import orjson

from bench.varied import varied_queries, wrk_paths
from selftest import servers
from selftest.loadgen import run_wrk

HEADERS = {"x-API-Key": "bench-key"}
KINDS = {
    "gthread (8 threads)": ["--worker-class", "gthread", "--threads", "8"],
    "head-first gthread (8 threads)": ["--worker-class", "mockserver.http.headfirst.HeadFirstWorker", "--threads", "8"],
    "gevent": ["--worker-class", "gevent", "--worker-connections", "1000"],
}
APP = """
import os
from customers_spec import load_spec
from mockserver.app import create_app
from customers_spec.datafile import load_dataset
app = create_app(dataset=load_dataset(os.environ["COMPARE_DATA"], load_spec()))
"""


def main(data: Path, rounds: int = 3) -> None:
    customers = orjson.loads(data.read_bytes())["customers"]
    scratch = Path(tempfile.mkdtemp(prefix="compare-workers-"))
    targets = scratch / "targets.txt"
    targets.write_text(wrk_paths("/v2/customers", [query.mock for query in varied_queries(customers, 4000)]))
    (scratch / "compare_app.py").write_text(APP)
    os.environ.update(
        MOCKSERVER_API_KEYS=HEADERS["x-API-Key"],
        COMPARE_DATA=str(data.resolve()),
        PYTHONPATH=os.pathsep.join(filter(None, [str(scratch), os.environ.get("PYTHONPATH")])),
    )
    kinds = {name: options for name, options in KINDS.items() if name != "gevent" or importlib.util.find_spec("gevent")}
    results: dict[tuple[str, str], list] = {}
    with ExitStack() as stack:
        urls = {}
        for name, options in kinds.items():
            port = servers.free_port()
            command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--preload"]
            command += ["--reuse-port", "--log-level", "warning", *options, "compare_app:app"]
            base_url = f"http://127.0.0.1:{port}"
            stack.enter_context(
                servers.running(command, base_url, ready_path="/v2/customers", headers=HEADERS, timeout_s=300)
            )
            urls[name] = base_url + "/v2/customers"
        for _ in range(rounds):
            for name, url in urls.items():
                for load, walk in (("default page", None), ("varied", targets)):
                    result = run_wrk(url, seconds=5, connections=32, threads=2, headers=HEADERS, targets=walk)
                    results.setdefault((name, load), []).append(result)
    for (name, load), runs in results.items():
        rps = statistics.median(run.requests_per_second for run in runs)
        p99 = statistics.median(run.p99_ms for run in runs)
        print(f"{name:32} {load:13} {rps:7,.0f} req/s  p99 {p99:6.1f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else servers.ROOT / "data" / "customers.json")
