"""Fixtures for the contract kit: a small generated dataset and the mock on it, called in-process."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from contract_tests.judging.context import Context
from contract_tests.judging.registry import CHECKS
from contract_tests.judging.selection import select_checks
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.running.runner import run
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import Api, Spec, load_api
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from selftest.kit_setup import API_KEY, DATASET_SEED, DATASET_SIZE


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(DATASET_SIZE, DATASET_SEED)


@pytest.fixture
def mock_app(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The mock on the small dataset, accepting only API_KEY unless other Config fields say otherwise."""
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)

    def make(**fields: Any) -> Any:
        fields = {"log_requests": False, "api_keys": frozenset({API_KEY}), **fields}
        return create_app(Config(**fields), dataset=dataset)

    return make


@pytest.fixture
def example(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> tuple[Api, Context]:
    """The example spec's API and the loaded context of its first list, on the mock serving it in-process."""
    from tests.conftest import EXAMPLE_SPEC

    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    config = Config(spec=EXAMPLE_SPEC, log_requests=False, api_keys=frozenset({API_KEY}))
    api = load_api(EXAMPLE_SPEC)
    transport = WsgiTransport(create_app(config, dataset=dataset), API_KEY, header=api.api_key_header)
    return api, loaded_context(api.lists[0], transport, rejects_invalid_keys=True)


@pytest.fixture
def in_process(spec: Spec, dataset: Dataset) -> Callable[..., Context]:
    """A loaded context for a WSGI app, with the dataset's sites known so relation filters find customers."""

    def make(app: Any) -> Context:
        transport = WsgiTransport(app, API_KEY, header=spec.api_key_header)
        return loaded_context(spec, transport, rejects_invalid_keys=True, related={"objects": dataset.objects})

    return make


@pytest.fixture
def registry_restored() -> Iterator[None]:
    """A team's checks registered by a test leave the registry as it was, so other tests run the built-ins only."""
    select_checks()
    saved = dict(CHECKS)
    yield
    CHECKS.clear()
    CHECKS.update(saved)


def run_kit(ctx: Context, *, max_examples: int, shrink: bool = False, checks: list[str] | None = None) -> Outcome:
    """A derandomized run, so each test sees the same requests every time."""
    options = Options(max_examples=max_examples, profile=CI_PROFILE, shrink=shrink)
    return run(ctx, select_checks(checks), options)


class QuietHandler(WSGIRequestHandler):
    """No request log: a run sends thousands of requests."""

    def log(self, type: str, message: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` on a free port of 127.0.0.1 in a thread (a real HTTP server), answering; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    try:
        _wait_until_answering(base_url)
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _wait_until_answering(base_url: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            requests.get(base_url + "/openapi.yaml", timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or slow on a loaded machine
            time.sleep(0.02)
    raise RuntimeError(f"{base_url} did not answer within {timeout_s} s")
