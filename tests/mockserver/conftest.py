"""Fixtures for the mock: a small generated dataset, an app on it, and the problem-document check."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient

from customers_spec import Api, Spec
from customers_spec.datafile import Dataset
from customers_spec.schemas import component
from mockserver.app import create_app
from mockserver.config import Config

PATH = "/v2/customers"
API_KEY = "test-key"
AUTH = {"x-API-Key": API_KEY}
DATASET_SIZE = 40
DATASET_SEED = 7


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(DATASET_SIZE, DATASET_SEED)


@pytest.fixture(scope="session")
def app(dataset: Dataset) -> Flask:
    """An app with default settings (any key passes) on the small dataset; never changed by a test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MOCKSERVER_API_KEYS", raising=False)
        return create_app(Config(log_requests=False), dataset=dataset)


@pytest.fixture(scope="session")
def example_app(dataset: Dataset) -> Flask:
    """An app serving the example spec's four operations on the small dataset (its customers and their sites)."""
    from tests.conftest import EXAMPLE_SPEC

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MOCKSERVER_API_KEYS", raising=False)
        return create_app(Config(spec=EXAMPLE_SPEC, log_requests=False), dataset=dataset)


@pytest.fixture
def example_client(example_app: Flask) -> FlaskClient:
    return example_app.test_client()


@pytest.fixture(scope="session")
def example_app_spec(example_api: Api) -> Spec:
    """The example's first list: its document's Problem schema allows ``in: path``."""
    return example_api.lists[0]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_client(dataset: Dataset, monkeypatch: pytest.MonkeyPatch):
    """A client of an app created with the given Config fields (the environment's API keys cleared)."""
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)

    def make(**fields: object) -> FlaskClient:
        fields.setdefault("log_requests", False)
        return create_app(Config(**fields), dataset=dataset).test_client()  # type: ignore[arg-type]

    return make


def problem(response: Any, spec: Spec, status: int) -> dict[str, Any]:
    """The response's problem document, checked against the spec's Problem schema."""
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    component(spec, "Problem").validate(body)
    assert body["status"] == status
    return body


def chosen(mask: np.ndarray) -> set[int]:
    """The positions a mask selects."""
    return set(np.flatnonzero(mask).tolist())
