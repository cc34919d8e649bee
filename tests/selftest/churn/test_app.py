"""The churning mock as the kit meets it: in-process through WSGI, and over HTTP from a process of its own."""

from __future__ import annotations

import time

import orjson
import pytest
import requests
from werkzeug.test import Client

from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options
from contract_tests.running.runner import run
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import Spec
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from selftest.churn import churning_app, churning_server
from selftest.faults import ENGINE_FAULTS, FAULTS
from selftest.kit_setup import API_KEY

KEYS = frozenset({API_KEY})


def get(client: Client, spec: Spec, query: str = "") -> tuple[int, list[dict], dict[str, str]]:
    answer = client.get(f"{spec.path}?{query}" if query else spec.path, headers={spec.api_key_header: API_KEY})
    return int(answer.headers[spec.pagination.total_header]), orjson.loads(answer.data), dict(answer.headers)


def test_a_request_without_a_query_sees_the_writes(spec: Spec, small_dataset: Dataset) -> None:
    """The mock's default page is prepared at start-up; the churning app answers it from the current state,
    with the same headers as the mock."""
    app = churning_app(small_dataset, rate=0, seed=1, api_keys=KEYS)
    plain = Client(create_app(Config(log_requests=False, api_keys=KEYS), dataset=small_dataset))
    before = get(Client(app), spec)
    assert before == get(plain, spec)
    for _ in range(40):
        app.writer.write()
    total, items, headers = get(Client(app), spec)
    assert total == len(app.store) and items != before[1]
    assert (total, items) == get(Client(app), spec, "limit=100")[:2]
    assert headers[spec.pagination.link_header] == get(Client(app), spec, "limit=100")[2][spec.pagination.link_header]


def test_every_answer_reads_one_state_while_the_writer_runs(spec: Spec, small_dataset: Dataset) -> None:
    app = churning_app(small_dataset, rate=500, seed=1, api_keys=KEYS)
    client = Client(app)
    with app.writer.running():
        for query in ["limit=1000", "limit=1000&status=1,2&sort=name:-1", "limit=1000&nameAndAddress=e"] * 10:
            total, items, _ = get(client, spec, query)
            assert total == len(items)
    assert app.writer.stats().writes > 10


def test_middleware_and_config_faults_compose_with_churn(spec: Spec, small_dataset: Dataset) -> None:
    by_name = {fault.name: fault for fault in [*FAULTS, *ENGINE_FAULTS]}
    app = churning_app(small_dataset, rate=0, seed=1, fault=by_name["X-Total-Count one too many"], api_keys=KEYS)
    app.writer.write()
    total, items, _ = get(Client(app), spec, "limit=1000")
    assert total == len(items) + 1 == len(app.store) + 1
    lenient = churning_app(small_dataset, rate=0, seed=1, fault=by_name["unknown parameters ignored"], api_keys=KEYS)
    assert get(Client(lenient), spec, "nonsense=1")[0] == len(small_dataset.customers)


def test_the_kit_passes_the_churned_mock_once_it_stands_still(spec: Spec, small_dataset: Dataset) -> None:
    """After writes of every kind, the churning mock at rest conforms to the spec by every check of the kit."""
    app = churning_app(small_dataset, rate=0, seed=1, api_keys=KEYS)
    for _ in range(200):
        app.writer.write()
    transport = WsgiTransport(app, API_KEY, header=spec.api_key_header)
    related = {"objects": small_dataset.objects}
    ctx = loaded_context(spec, transport, rejects_invalid_keys=True, related=related)
    outcome = run(ctx, select_checks(None), Options(max_examples=60, profile=CI_PROFILE, shrink=False))
    assert outcome.exit_code == 0, text_report(outcome, spec.api_key_header)


@pytest.mark.slow
def test_the_http_server_writes_while_it_serves(spec: Spec, small_dataset: Dataset) -> None:
    app = churning_app(small_dataset, rate=50, seed=1, api_keys=KEYS)
    with churning_server(app) as server, requests.Session() as session:
        url = server.base_url + spec.path
        headers = {spec.api_key_header: API_KEY}
        totals: set[int] = set()
        deadline = time.monotonic() + 10
        while len(totals) < 2 and time.monotonic() < deadline:
            answer = session.get(url, params={"limit": 1000}, headers=headers, timeout=10)
            assert int(answer.headers[spec.pagination.total_header]) == len(answer.json())
            totals.add(int(answer.headers[spec.pagination.total_header]))
            time.sleep(0.05)
        running = server.stats()
        assert len(totals) >= 2 and running.writes > 0 and running.per_second > 0
    ended = server.stats()
    assert ended.writes >= running.writes and ended.seconds == server.stats().seconds, "stopped with the server"
