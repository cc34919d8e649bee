"""How reliably the contract kit catches each injected fault (``selftest/faults.py``) when random.

The test suite runs the kit derandomized, so each fault is caught there by one fixed sequence of requests. A
user's run is random: this measures, per fault, in how many seeded random runs of 100 examples (the CLI's
default) the kit reports it.

- The faults of the mock's answers (``FAULTS`` without the engine ones) on the 60-customer test dataset,
  checked by the checks meant to catch each, as the tests do.
- The consistent faults inside the query engine (``ENGINE_FAULTS``) at 1,000 and at 100,000 customers,
  without ``--data`` (no copy of the dataset, no related ids), as a staging team runs the kit. The target is
  at least 19 caught in 20 runs. To keep the benchmark within minutes, each run executes the checks that
  judge every kind of request cheaply (shape) and the size-independent meaning checks (``MEANING``), not the
  paging checks: the requests generated for a seed do not depend on which checks run (a violation is
  recorded, not raised, when not shrinking), so a run of all checks catches at least what this run catches.

Sizes and runs can be narrowed: ``BENCH_DETECTION_SIZES=1000`` and ``BENCH_DETECTION_RUNS=5``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from bench.common import Figure
from contract_tests.context import Context
from contract_tests.kit import loaded_context
from contract_tests.profiles import DEFAULT_PROFILE
from contract_tests.registry import select_checks
from contract_tests.runner import Options
from contract_tests.runner import run as run_kit
from contract_tests.transport import WsgiTransport
from customers_spec import load_spec
from mockserver.dataset import Dataset
from mockserver.generate import generate_dataset
from selftest.faults import ENGINE_FAULTS, FAULTS, MEANING, Fault, faulty_app
from selftest.kit_setup import API_KEY, DATASET_SEED, DATASET_SIZE

EXAMPLES = 100
FIRST_SEED = 1000
ENGINE_SIZES = (1000, 100_000)
ENGINE_RUNS = 20
TARGET_CAUGHT = 19 / 20
SHAPE = ("not_server_error", "status_code_documented", "content_type", "response_schema", "auth_enforced")


def run(quick: bool = False) -> list[Figure]:
    """Per fault, the share of seeded random runs that caught it; then the lowest share per group."""
    figures = _answer_faults(quick)
    sizes = [int(size) for size in os.environ.get("BENCH_DETECTION_SIZES", "").split(",") if size] or ENGINE_SIZES
    runs = int(os.environ.get("BENCH_DETECTION_RUNS", 2 if quick else ENGINE_RUNS))
    for size in sizes:
        figures.extend(_engine_faults(size, runs))
    return figures


def _answer_faults(quick: bool) -> list[Figure]:
    seeds = range(FIRST_SEED, FIRST_SEED + (2 if quick else 5))
    answer_faults = FAULTS
    rates = {
        fault.name: sum(
            bool(_failing(fault, seed, _dataset(DATASET_SIZE), sorted(fault.caught_by), related=True)) for seed in seeds
        )
        / len(seeds)
        * 100
        for fault in answer_faults
    }
    figures = [Figure(f"caught: {name} ({len(seeds)} runs)", rate, "%") for name, rate in rates.items()]
    lowest = min(rates.values())
    figures.append(Figure(f"lowest catch rate of {len(rates)} answer faults", lowest, "%", "100", lowest == 100))
    return figures


def _engine_faults(size: int, runs: int) -> list[Figure]:
    seeds = range(FIRST_SEED, FIRST_SEED + runs)
    checks = [*SHAPE, *sorted(MEANING)]
    dataset = _dataset(size)
    control = sum(bool(_failing(Fault("control", frozenset()), seed, dataset, checks)) for seed in seeds)
    figures = [
        Figure(
            f"{size} customers: runs with a false alarm on the correct mock ({runs} runs)",
            control,
            "",
            "0",
            not control,
        )
    ]
    rates = {}
    for fault in ENGINE_FAULTS:
        caught = sum(bool(_failing(fault, seed, dataset, checks) & MEANING) for seed in seeds)
        rates[fault.name] = caught / len(seeds) * 100
        figures.append(Figure(f"{size} customers, caught: {fault.name} ({runs} runs)", rates[fault.name], "%"))
    lowest = min(rates.values())
    figures.append(
        Figure(
            f"{size} customers: lowest catch rate of {len(rates)} engine faults, no --data",
            lowest,
            "%",
            f">= {TARGET_CAUGHT * 100:.0f}",
            lowest >= TARGET_CAUGHT * 100,
        )
    )
    return figures


def _failing(fault: Fault, seed: int, dataset: Dataset, checks: list[str], *, related: bool = False) -> set[str]:
    """The checks that reported a violation in one random run."""
    outcome = run_kit(_context(fault, dataset, related), select_checks(checks), _options(seed))
    return {failure.check for failure in outcome.failures}


def _context(fault: Fault, dataset: Dataset, related: bool) -> Context:
    spec = load_spec()
    transport = WsgiTransport(_app(fault, dataset), API_KEY, header=spec.api_key_header)
    objects = {"objects": dataset.objects} if related else None
    return loaded_context(spec, transport, rejects_invalid_keys=True, related=objects)


_APPS: dict[tuple[str, int], Any] = {}


def _app(fault: Fault, dataset: Dataset) -> Any:
    """The faulty mock, built once for all the runs of one fault (a store of 100,000 customers takes seconds)."""
    key = (fault.name, id(dataset))
    if key not in _APPS:
        _APPS.clear()
        _APPS[key] = faulty_app(fault, dataset, api_keys=frozenset({API_KEY}))
    return _APPS[key]


def _options(seed: int) -> Options:
    return Options(max_examples=EXAMPLES, seed=seed, profile=DEFAULT_PROFILE, shrink=False)


@lru_cache(maxsize=2)
def _dataset(size: int) -> Dataset:
    return generate_dataset(size, DATASET_SEED)
