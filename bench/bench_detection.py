"""How reliably the contract kit catches each injected fault (``tests/contract_tests/faults.py``) when random.

The test suite runs the kit derandomized, so each fault is caught there by one fixed sequence of requests. A
user's run is random: this measures, per fault, in how many of several seeded random runs of 100 examples
(the CLI's default) the kit reports it, on the same 60-customer dataset the tests use. A rate below 100% is a
blind spot worth a look, not a failure.
"""

from __future__ import annotations

from functools import lru_cache

from bench.common import Figure
from contract_tests.kit import loaded_context
from contract_tests.profiles import DEFAULT_PROFILE
from contract_tests.registry import select_checks
from contract_tests.runner import Options
from contract_tests.runner import run as run_kit
from contract_tests.transport import WsgiTransport
from customers_spec import load_spec
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.dataset import Dataset
from mockserver.generate import generate_dataset
from selftest.faults import FAULTS, Fault
from tests.contract_tests.conftest import API_KEY, DATASET_SEED, DATASET_SIZE

EXAMPLES = 100
FIRST_SEED = 1000


def run(quick: bool = False) -> list[Figure]:
    """Per fault, the share of seeded random runs that caught it; then the lowest share of all."""
    seeds = range(FIRST_SEED, FIRST_SEED + (2 if quick else 5))
    rates = {fault.name: sum(_caught(fault, seed) for seed in seeds) / len(seeds) * 100 for fault in FAULTS}
    figures = [Figure(f"caught: {name} ({len(seeds)} runs)", rate, "%") for name, rate in rates.items()]
    lowest = min(rates.values())
    figures.append(Figure(f"lowest catch rate of {len(rates)} faults", lowest, "%", "100", lowest == 100))
    return figures


def _caught(fault: Fault, seed: int) -> bool:
    spec, dataset = load_spec(), _dataset()
    config = Config(**{"log_requests": False, "api_keys": frozenset({API_KEY}), **fault.config})
    app = create_app(config, dataset=dataset)
    if fault.wrap is not None:
        app = fault.wrap(app)
    transport = WsgiTransport(app, API_KEY, header=spec.api_key_header)
    ctx = loaded_context(spec, transport, rejects_invalid_keys=True, related={"objects": dataset.objects})
    options = Options(max_examples=EXAMPLES, seed=seed, profile=DEFAULT_PROFILE, shrink=False)
    return bool(run_kit(ctx, select_checks(sorted(fault.caught_by)), options).failures)


@lru_cache(maxsize=1)
def _dataset() -> Dataset:
    return generate_dataset(DATASET_SIZE, DATASET_SEED)
