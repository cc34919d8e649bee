"""Shared fixtures and the Hypothesis profiles: ``dev`` by default, ``ci`` (derandomized, bounded) in CI."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from customers_spec import Spec, load_spec

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


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec()
