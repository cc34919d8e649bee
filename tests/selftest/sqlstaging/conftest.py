"""Generated data at 1,000 customers and the SQL staging on it, in-process (no latency, nothing writing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from werkzeug.test import Client

from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.kit_setup import API_KEY, DATASET_SEED
from selftest.sqlstaging import Staging, staging

SIZE = 1000
KEYS = frozenset({API_KEY})


@pytest.fixture(scope="session")
def thousand() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(SIZE, DATASET_SEED)


@pytest.fixture(scope="session")
def staged(thousand: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Staging]:
    """A staging on the 1,000 customers by fault name, built once per fault."""
    built: dict[str, Staging] = {}

    def make(fault: str = "correct") -> Staging:
        if fault not in built:
            directory = tmp_path_factory.mktemp(f"sqlstaging-{len(built)}")
            built[fault] = staging(thousand, Path(directory), fault=fault, api_keys=KEYS)
        return built[fault]

    return make


def ask(app: Staging, spec: Spec, query: str = "") -> tuple[int, list[dict], dict[str, str]]:
    """Status, items (or the problem document in a list) and headers of one request with the key."""
    answer = Client(app.app).get(f"{spec.path}?{query}", headers={spec.api_key_header: API_KEY})
    body = orjson.loads(answer.data)
    return answer.status_code, body if isinstance(body, list) else [body], dict(answer.headers)
