"""The SQL staging served on a free loopback port with its writer, and the kit's command run against it.

The kit passes the correct staging and fails (exit 1) its LIKE fault. Generated data rarely holds a value whose
``_`` would match another customer's character, so the LIKE run is given data that does (every other
customer the twin of the next, with ``_`` for its spaces, as a value a person pastes), the ``ci`` profile and one
check, so that it is short and repeatable; the kit's values that tell misreadings apart are another piece of work.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import time
from typing import Any

import pytest
import requests

from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.kit_setup import API_KEY
from selftest.servers import ROOT, console_script
from selftest.sqlstaging import sql_staging
from tests.selftest.sqlstaging.conftest import KEYS

DEADLINE_S = 30


def underscored(value: Any) -> Any:
    """A text with ``_`` for its spaces (or its middle character): a LIKE pattern would match the original."""
    if not isinstance(value, str) or len(value) < 2:
        return value
    return value.replace(" ", "_") if " " in value else value[: len(value) // 2] + "_" + value[len(value) // 2 + 1 :]


def twins(dataset: Dataset) -> Dataset:
    customers = copy.deepcopy(dataset.customers)
    for index in range(0, len(customers) - 1, 2):
        twin = customers[index + 1]
        customers[index]["name"] = underscored(twin["name"])
        customers[index]["address"] = {key: underscored(value) for key, value in twin["address"].items()}
    return Dataset(customers, dataset.objects)


def kit(base_url: str, *options: str) -> subprocess.CompletedProcess[str]:
    command = [console_script("contract-tests"), "--base-url", base_url, "--api-key", API_KEY, "--seed", "1"]
    return subprocess.run([*command, *options], capture_output=True, text=True, timeout=300)


def test_the_writer_changes_the_served_data_at_its_rate(spec: Spec, thousand: Dataset) -> None:
    with sql_staging(thousand, rate=50, api_keys=KEYS, latency_ms=(20, 50)) as server:
        url, key = server.base_url + spec.path, {spec.api_key_header: API_KEY}
        first = requests.get(f"{url}?sort=name:1&limit=1000", headers=key, timeout=10)
        deadline = time.monotonic() + DEADLINE_S
        while server.stats().writes < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        later = requests.get(f"{url}?sort=name:1&limit=1000", headers=key, timeout=10)
        assert requests.get(url, timeout=10).status_code == 401
        stats = server.stats()
    assert stats.writes >= 10 and first.status_code == later.status_code == 200
    assert first.json() != later.json() and stats.per_second > 5


@pytest.mark.parametrize(
    ("fault", "options", "code"),
    [
        ("correct", ("--max-examples", "8"), 0),
        ("like pattern", ("--max-examples", "100", "--checks", "filters_hold", "--hypothesis-profile", "ci"), 1),
    ],
)
def test_the_kit_passes_the_correct_staging_and_fails_its_like_fault(
    thousand: Dataset, fault: str, options: tuple[str, ...], code: int
) -> None:
    with sql_staging(twins(thousand), fault=fault, api_keys=KEYS) as server:
        run = kit(server.base_url, "--no-shrink", "--max-failures", "1", *options)
    assert run.returncode == code, run.stdout[-3000:] + run.stderr[-2000:]
    if code == 1:
        assert "filters_hold" in run.stdout


def test_the_staging_imports_nothing_of_the_mocks_engine() -> None:
    """A second implementation: the mock's generator may make its data, its engine is never loaded."""
    ours = "('mockserver.', 'selftest.')"
    probe = f"import sys; sys.path.append({str(ROOT)!r}); import selftest.sqlstaging; "
    probe += f"print(sorted(m for m in sys.modules if m.startswith({ours})))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "mockserver.data" in loaded.stdout and "mockserver.engine" not in loaded.stdout
    assert "selftest.churn" not in loaded.stdout
