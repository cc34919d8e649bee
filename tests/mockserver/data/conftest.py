"""The datasets the data tests look at: one generated here, and the shipped one."""

from __future__ import annotations

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset, default_dataset
from mockserver.data.generate import generate_dataset

COUNT = 1500


@pytest.fixture(scope="module")
def generated() -> Dataset:
    return generate_dataset(COUNT, 11)


@pytest.fixture(scope="module")
def shipped(spec: Spec) -> Dataset:
    return default_dataset(spec)


@pytest.fixture(scope="module", params=["generated", "shipped"])
def data(request: pytest.FixtureRequest) -> Dataset:
    return request.getfixturevalue(request.param)
