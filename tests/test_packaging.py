"""The wheel carries the spec, the default data and the entry points, so an installed copy works anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_ships_spec_data_and_entry_points(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), "."],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("customers_api_kit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(name).decode() for name in names if name.endswith("entry_points.txt"))
        bundled_spec = archive.read("customers_spec/bundled/customers.yaml")
        package_metadata = next(archive.read(name).decode() for name in names if name.endswith(".dist-info/METADATA"))
    assert bundled_spec == (ROOT / "openapi" / "customers.yaml").read_bytes()
    assert "customers_spec/bundled/customers.json" in names
    assert "customers_spec/extensions.schema.json" in names  # package data the loader reads
    shipped = (
        "customers_spec/loader.py",
        "mockserver/app.py",
        "contract_tests/plugin.py",
        "contract_tests/proxy/forwarding.py",
    )
    for module in (*shipped, "contract_tests/reporting/html_report.py", "contract_tests/judging/selection.py"):
        assert module in names, module
    assert "mockserver = mockserver.cli:main" in entry_points
    assert "contract-tests = contract_tests.cli:main" in entry_points
    assert "[pytest11]" in entry_points
    for package in ("customers_spec", "customers_serving", "mockserver", "contract_tests"):
        assert f"{package}/py.typed" in names, package  # type checkers read the packages' annotations
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    headers = package_metadata.split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in headers
    assert "Classifier: Framework :: Pytest" in headers
    # PEP 639: the licence is the expression alone; PyPI refuses uploads that also carry a licence classifier.
    assert not [header for header in headers if header.startswith("Classifier: License ::")]
