"""The kit checks every operation of the example spec: the correct mock passes, and each fault of the
operations beside the customers list (``selftest.operation_faults``) is caught from the answers alone.

The kit gets no copy of the data (no ``--data``), as on a staging; the mock serves the small dataset in
process. Each fault's run checks only the operation it breaks (``--operations``), with few examples, so each
takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.operations import run_api
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import load_api
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from selftest.kit_setup import API_KEY, DATASET_SEED, DATASET_SIZE
from selftest.operation_faults import OPERATION_FAULTS, OperationFault
from tests.conftest import EXAMPLE_SPEC

EXAMPLES = 25


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(DATASET_SIZE, DATASET_SEED)


@pytest.fixture
def example_app(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The mock serving the example spec (customers, the customer by id, sites, a customer's sites)."""
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)

    def make() -> Any:
        config = Config(spec=EXAMPLE_SPEC, log_requests=False, api_keys=frozenset({API_KEY}))
        return create_app(config, dataset=dataset)

    return make


def check_example(app: Any, *, operations: tuple[str, ...] = (), examples: int = EXAMPLES) -> Outcome:
    """A derandomized run of every check on the example spec's operations (``operations``: only those)."""
    api = load_api(EXAMPLE_SPEC)
    transport = WsgiTransport(app, API_KEY, header=api.api_key_header)
    first = loaded_context(api.lists[0], transport, rejects_invalid_keys=True)
    chosen = api.selected(operations).operations
    options = Options(max_examples=examples, profile=CI_PROFILE, shrink=False)
    return run_api(api, first, select_checks(), options, operations=chosen)


def test_the_mock_conforms_on_every_operation(example_app: Callable[..., Any]) -> None:
    outcome = check_example(example_app())
    report = text_report(outcome, "x-API-Key")
    assert outcome.exit_code == 0, report
    labels = [part.operation for part in outcome.sections]
    # the writes the example declares are listed too, not sent: the kit sends only GET requests
    assert [label.split(" ")[0] for label in labels if "(GET " in label] == [
        "listCustomers",
        "getCustomer",
        "listCustomerObjects",
        "listObjects",
    ]
    judged = {(part.operation.split(" ")[0], name) for part in outcome.sections for name in part.passed}
    for wanted in [
        ("getCustomer", "item_is_listed"),
        ("getCustomer", "unknown_id_not_found"),
        ("getCustomer", "invalid_input_rejected"),
        ("listCustomerObjects", "items_belong_to_parent"),
        ("listCustomerObjects", "subcollection_is_filtered_list"),
        ("listCustomerObjects", "unknown_parent"),
        ("listCustomerObjects", "pages_tile"),
        ("listObjects", "filters_complete"),
    ]:
        assert wanted in judged, (wanted, report)
    assert any("GET /v2/objects has no filter selecting items by their id" in gap for gap in outcome.gaps), report


@pytest.mark.parametrize("fault", OPERATION_FAULTS, ids=lambda fault: fault.name)
def test_each_fault_of_an_operation_is_caught(example_app: Callable[..., Any], fault: OperationFault) -> None:
    outcome = check_example(fault.wrap(example_app()), operations=(fault.operation,))
    found = {failure.check for failure in outcome.failures}
    assert found & fault.caught_by, text_report(outcome, "x-API-Key")
    assert all(failure.operation.startswith(fault.operation) for failure in outcome.failures)
