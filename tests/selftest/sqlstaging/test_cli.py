"""``python -m selftest.sqlstaging`` as a process of its own, on a free port, from generated data or a file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import requests

from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.kit_setup import API_KEY
from selftest.servers import ROOT, free_port, running

# ``python -m selftest.sqlstaging`` with the checkout after site-packages (selftest is not installed; the kit
# the suite tests is, and must not be shadowed), as tests/conftest.py puts it.
MAIN = f"import sys; sys.path.append({str(ROOT)!r}); from selftest.sqlstaging.cli import main; "
MAIN += "sys.exit(main(sys.argv[1:]))"


def command(port: int, *options: str) -> list[str]:
    return [sys.executable, "-c", MAIN, "--port", str(port), "--api-key", API_KEY, *options]


def test_it_serves_a_data_file_with_its_fault_and_latency(spec: Spec, thousand: Dataset, tmp_path: Path) -> None:
    data = tmp_path / "customers.json"
    data.write_text(json.dumps({"customers": thousand.customers[:50], "objects": thousand.objects[:20]}))
    port = free_port()
    options = ("--data", str(data), "--fault", "total before filtering", "--latency", "20,50")
    with running(command(port, *options), f"http://127.0.0.1:{port}", ready_path=spec.path) as server:
        answer = requests.get(f"{server.base_url}{spec.path}?number=1001", headers={"x-API-Key": API_KEY}, timeout=5)
    assert answer.status_code == 200 and len(answer.json()) == 1
    assert answer.headers[spec.pagination.total_header] == "50"  # the fault: every customer counted
    assert answer.elapsed.total_seconds() >= 0.02


def test_a_broken_data_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "customers.json"
    data.write_text('{"customers": [{"_id": 1}]}')
    done = subprocess.run(command(free_port(), "--data", str(data)), capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
