"""How fast ``mockserver generate`` makes data: 100,000 customers (with their sites) in <= 10 s.

Also times loading and validating the default dataset, which the server's start-up (< 2 s) includes.
``python -m bench.bench_generate [--quick]`` prints the figures; ``--quick`` generates 10,000 customers.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Figure, p50
from customers_spec import load_spec
from customers_spec.datafile import default_dataset
from mockserver.data.chunked import dump_dataset
from mockserver.data.generate import generate_dataset

FULL_COUNT = 100_000
QUICK_COUNT = 10_000
TARGET_S = 10.0
LOAD_TARGET_MS = 1000.0
SEED = 2024


def _seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def run(quick: bool = False) -> list[Figure]:
    """Generation time (the 10 s target holds for 100,000; a quick run has none), writing, default-data load."""
    count = QUICK_COUNT if quick else FULL_COUNT
    start, cpu_start = time.perf_counter(), time.process_time()
    dataset = generate_dataset(count, SEED)
    generated, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    with tempfile.TemporaryDirectory() as directory:
        written = _seconds(lambda: dump_dataset(dataset, Path(directory) / "customers.json"))
    spec = load_spec()
    loads = [_seconds(lambda: default_dataset(spec)) * 1000 for _ in range(3 if quick else 5)]
    label = f"{count:,} customers ({len(dataset.objects):,} sites)"
    load_ms = p50(loads)
    generation = (
        Figure(f"generate {label}", generated, "s")
        if quick
        else Figure(f"generate {label}", generated, "s", f"<= {TARGET_S:g}", generated <= TARGET_S)
    )
    return [
        generation,
        Figure(f"generate {label}, CPU time", cpu, "s"),
        Figure(f"write {label} to a file", written, "s"),
        Figure("load default data (1,000), p50", load_ms, "ms", f"< {LOAD_TARGET_MS:g}", load_ms < LOAD_TARGET_MS),
    ]


def main() -> None:
    for figure in run(quick="--quick" in sys.argv[1:]):
        met = "" if figure.met is None else (" (met)" if figure.met else " (MISSED)")
        target = f"  target {figure.target}" if figure.target else ""
        print(f"{figure.name}: {figure.value:.3g} {figure.unit}{target}{met}")


if __name__ == "__main__":
    main()
