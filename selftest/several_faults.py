"""A server with several violations at once: the correct mock behind four answer faults of ``selftest.faults``,
each caught by checks of its own, as a failing CI job meets a broken staging. Bounded minimizing is tested
(``tests/contract_tests/running/test_minimizing.py``) and measured (``bench/bench_failing.py``) on it."""

from __future__ import annotations

from typing import Any

from customers_serving.application import WsgiApp
from customers_spec.datafile import Dataset
from selftest.faults import FAULTS, Fault, faulty_app

SEVERAL = ("limit off by one", "sort reversed", "Link prev missing", "X-Total-Count one too many")
CORRECT = Fault("correct", frozenset())


def several_faults_app(dataset: Dataset, names: tuple[str, ...] = SEVERAL, **config: Any) -> WsgiApp:
    """The mock on ``dataset`` wrapped in each named fault's middleware (``names=()``: the correct mock)."""
    app = faulty_app(CORRECT, dataset, **config)
    for fault in FAULTS:
        if fault.name in names and fault.wrap is not None:
            app = fault.wrap(app)
    return app
