"""How reliably the contract kit catches each injected fault (``selftest/faults.py``) when random.

The test suite runs the kit derandomized, so each fault is caught there by one fixed sequence of requests. A
user's run is random: this measures, per fault, in how many seeded random runs of 100 examples (the CLI's
default) the kit reports it.

- The faults of the mock's answers (``FAULTS`` without the engine ones) on the 60-customer test dataset,
  checked by the checks meant to catch each, as the tests do.
- The faults of the operations beside the customers list (``selftest/operation_faults.py``: the customer by id,
  a customer's sites, the sites' list) on the 60-customer dataset served with the example spec, each checked on
  its operation with every check, as a team runs ``contract-tests --operations``; the correct mock the control.
- The consistent faults inside the query engine (``ENGINE_FAULTS``, one per listed misreading of the spec among
  them: ``docs/misreadings.yaml``) at 1,000 and at 100,000 customers, as a
  staging team meets them: each fault's server runs in a process of its own and the ``contract-tests`` command
  checks it over HTTP, without ``--data`` (no copy of the dataset, no related ids), with every check, 20 random
  runs at the default settings (target: at least 19 caught) and the ``ci`` profile's derandomized run (target:
  caught). The correct mock is the control: no run may report anything. Two options keep the benchmark within
  the hour and cannot change whether a run catches a fault: ``--max-failures 1`` (the examples are sent in the
  same order, so the run stops at the violation a full run finds first) and ``--no-shrink`` (shrinking starts
  after the last example); ``--workers 4`` sends examples concurrently with the same requests and verdicts as
  one worker. Each fault's result is printed to stderr as it comes.

Sizes and runs can be narrowed: ``BENCH_DETECTION_SIZES=1000`` and ``BENCH_DETECTION_RUNS=5``; a long run can be
resumed with ``BENCH_DETECTION_FAULTS=name,name`` (those engine faults only, without the control).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from bench.common import Figure
from contract_tests import cli
from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.running.operations import run_api
from contract_tests.running.profiles import DEFAULT_PROFILE
from contract_tests.running.records import Options
from contract_tests.running.runner import run as run_kit
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import load_api, load_spec
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.data.generate import generate_dataset
from selftest.faults import ENGINE_FAULTS, FAULTS, Fault, faulty_app
from selftest.forked import forked_server
from selftest.kit_setup import API_KEY, DATASET_SEED, DATASET_SIZE
from selftest.operation_faults import OPERATION_FAULTS

EXAMPLE_SPEC = Path(__file__).resolve().parent.parent / "examples" / "customers-and-sites.yaml"

EXAMPLES = 100
FIRST_SEED = 1000
ENGINE_SIZES = (1000, 100_000)
ENGINE_RUNS = 20
TARGET_CAUGHT = 19 / 20
KIT_WORKERS = 4  # examples sent concurrently: the same requests and verdicts as one worker, in less time
SERVER_PROCESSES = 2  # one per core, as gunicorn runs the mock
TIMEOUT_S = 120  # a shared machine may be slow to answer: a timeout would end a run as "could not test"


def run(quick: bool = False) -> list[Figure]:
    """Per fault, the share of seeded random runs that caught it; then the lowest share per group."""
    figures = _answer_faults(quick) + operation_faults(quick)
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


def operation_faults(quick: bool) -> list[Figure]:
    """Per operation fault, the share of seeded random runs of its operation that caught it; the control."""
    seeds = range(FIRST_SEED, FIRST_SEED + (2 if quick else 5))
    dataset = _dataset(DATASET_SIZE)
    rates = {}
    for fault in OPERATION_FAULTS:
        caught = [bool(_operation_failures(fault.wrap(_example_app(dataset)), fault.operation, seed)) for seed in seeds]
        rates[f"{fault.operation}: {fault.name}"] = sum(caught) / len(seeds) * 100
        _progress(f"{fault.name}: caught in {sum(caught)} of {len(seeds)} runs")
    figures = [Figure(f"caught: {name} ({len(seeds)} runs)", rate, "%") for name, rate in rates.items()]
    lowest = min(rates.values())
    figures.append(Figure(f"lowest catch rate of {len(rates)} operation faults", lowest, "%", "100", lowest == 100))
    false = sum(bool(_operation_failures(_example_app(dataset), None, seed)) for seed in seeds)
    figures.append(
        Figure(f"correct mock, every operation: runs reporting a violation of {len(seeds)}", false, "", "0", false == 0)
    )
    return figures


def _example_app(dataset: Dataset) -> Any:
    config = Config(spec=EXAMPLE_SPEC, log_requests=False, api_keys=frozenset({API_KEY}))
    return create_app(config, dataset=dataset)


def _operation_failures(app: Any, operation: str | None, seed: int) -> set[str]:
    """The checks that reported a violation in one random run of ``operation`` (every one when None)."""
    api = load_api(EXAMPLE_SPEC)
    first = loaded_context(
        api.lists[0], WsgiTransport(app, API_KEY, header=api.api_key_header), rejects_invalid_keys=True
    )
    chosen = api.selected([operation] if operation else []).operations
    outcome = run_api(api, first, select_checks(), _options(seed), operations=chosen)
    return {failure.check for failure in outcome.failures}


def _engine_faults(size: int, runs: int) -> list[Figure]:
    """Each engine fault served over HTTP and checked by the ``contract-tests`` CLI: ``runs`` random runs at the
    default settings, and the ``ci`` profile's one derandomized run; the correct mock likewise as the control."""
    seeds = range(FIRST_SEED, FIRST_SEED + runs)
    dataset = _dataset(size)
    label = f"{size:,} customers"
    figures = []
    chosen = [name for name in os.environ.get("BENCH_DETECTION_FAULTS", "").split(",") if name]
    if not chosen:
        figures += _control(dataset, label, seeds)
    rates, missed_ci = {}, []
    for fault in [fault for fault in ENGINE_FAULTS if not chosen or fault.name in chosen]:
        started = time.monotonic()
        with _served(fault, dataset) as base_url:
            caught = [seed for seed in seeds if _cli_failures(base_url, seed=seed)]
            if not _cli_failures(base_url, profile="ci"):
                missed_ci.append(fault.name)
        rates[fault.name] = len(caught) / len(seeds) * 100
        missed = sorted(set(seeds) - set(caught))
        _progress(
            f"{label}: {fault.name}: caught {len(caught)}/{runs} (missed seeds {missed or 'none'}),"
            f" ci profile {'missed' if fault.name in missed_ci else 'caught'}, {time.monotonic() - started:.0f} s"
        )
        figures.append(Figure(f"{label}, caught: {fault.name} ({runs} runs)", rates[fault.name], "%"))
    lowest = min(rates.values())
    figures.append(
        Figure(
            f"{label}: lowest catch rate of {len(rates)} engine faults, CLI over HTTP, no --data",
            lowest,
            "%",
            f">= {TARGET_CAUGHT * 100:.0f}",
            lowest >= TARGET_CAUGHT * 100,
        )
    )
    figures.append(
        Figure(
            f"{label}: engine faults the ci profile's run missed ({', '.join(missed_ci) or 'none'})",
            len(missed_ci),
            "",
            "0",
            not missed_ci,
        )
    )
    return figures


def _control(dataset: Dataset, label: str, seeds: range) -> list[Figure]:
    """The same runs against the correct mock: nothing may be reported."""
    with _served(Fault("control", frozenset()), dataset) as base_url:
        alarms = [seed for seed in seeds if _cli_failures(base_url, seed=seed)]
        ci_alarm = _cli_failures(base_url, profile="ci")
    _progress(f"{label}: control: false alarms in seeds {alarms or 'none'}, ci profile {sorted(ci_alarm) or 'none'}")
    runs = len(seeds)
    return [
        Figure(f"{label}: runs with a false alarm on the correct mock ({runs} runs)", len(alarms), "", "0", not alarms),
        Figure(
            f"{label}: false alarm of the ci profile's run on the correct mock", len(ci_alarm), "", "0", not ci_alarm
        ),
    ]


def _cli_failures(base_url: str, *, seed: int | None = None, profile: str | None = None) -> set[str]:
    """The checks that failed in one run of the ``contract-tests`` command (in this process, over HTTP).

    Every check runs, with the default settings except two that cannot change whether a fault is caught:
    ``--max-failures 1`` (the examples are sent in the same order, so the run stops at the violation a full
    run finds first) and ``--no-shrink`` (shrinking happens after every example has been sent)."""
    with tempfile.TemporaryDirectory(prefix="bench-detection-") as scratch:
        report = Path(scratch) / "run.json"
        arguments = ["--base-url", base_url, "--api-key", API_KEY, "--max-failures", "1", "--no-shrink"]
        arguments += ["--workers", str(KIT_WORKERS), "--timeout", str(TIMEOUT_S)]
        arguments += ["--report", str(report)]
        arguments += ["--seed", str(seed)] if seed is not None else []
        arguments += ["--hypothesis-profile", profile] if profile is not None else []
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            try:
                cli.main.main(arguments, prog_name="contract-tests", standalone_mode=False)
                code = 0
            except SystemExit as exit_:
                code = int(exit_.code or 0)
        if code == 2:
            raise RuntimeError(f"seed {seed}, profile {profile}: {printed.getvalue()[-2000:]}")
        document = orjson.loads(report.read_bytes())
    return {failure["check"] for failure in document["failures"]}


@contextlib.contextmanager
def _served(fault: Fault, dataset: Dataset) -> Iterator[str]:
    """The faulty mock on a free loopback port, built here once and served by forked processes of its own."""
    with forked_server(faulty_app(fault, dataset, api_keys=frozenset({API_KEY})), processes=SERVER_PROCESSES) as url:
        yield url


def _progress(line: str) -> None:
    print(f"[detection {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


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
    return Options(max_examples=EXAMPLES, seed=seed, profile=DEFAULT_PROFILE, shrink=False, max_failures=1)


@lru_cache(maxsize=2)
def _dataset(size: int) -> Dataset:
    return generate_dataset(size, DATASET_SEED)
