"""The write checks over HTTP: the correct mock passes every one and is left as it was; each way of getting
writes wrong (selftest.write_faults) is caught; the plan is read from the spec alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.judging.writes import MARKER, plans
from contract_tests.running.writes import run_writes
from contract_tests.sending.writer import Writer
from customers_spec import Api, load_api
from customers_spec.datafile import Dataset
from selftest.write_faults import FAULTS, serving
from tests.mockserver.conftest import AUTH

EXPECTED = {
    "create missing from filtered lists": "the list under nameAndAddress='contract-tests run' holds it",
    "patch replaces the whole record": "a merge patch is accepted",
    "delete forgotten": "a deleted record is a 404",
    "number used twice in a company": "is held by no other record of its companyId",
    "a write seen by one worker only": "the created record is read back by id, every time",
}


def test_the_plan_is_read_from_the_spec(example_api: Api) -> None:
    (plan,) = plans(example_api)
    assert (plan.create.kind, plan.item.operation.operation_id, plan.listing.operation_id) == (
        "create",
        "getCustomer",
        "listCustomers",
    )
    assert plan.marker_rule == ("nameAndAddress", "name") and plan.update is not None and plan.delete is not None
    assert plans(load_api()) == []  # the shipped spec writes nothing


def test_the_correct_mock_passes_every_write_check_and_keeps_no_record(
    example_api: Api, dataset: Dataset, tmp_path: Path
) -> None:
    with serving(None, dataset, tmp_path / "state.sqlite") as url:
        run = run_writes(example_api, Writer(url, AUTH), "run")
        writer = Writer(url, AUTH)
        assert writer.send("get", "/v2/customers?nameAndAddress=" + MARKER).header("X-Total-Count") == "0"
    assert run.violations == [] and run.left == []
    assert len(run.stories[0].passed) >= 15
    assert run.written == run.removed and len(run.written) == 1


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_of_the_writes_is_caught(fault: str, example_api: Api, dataset: Dataset, tmp_path: Path) -> None:
    with serving(fault, dataset, tmp_path / "state.sqlite") as url:
        run = run_writes(example_api, Writer(url, AUTH), "run")
    assert any(EXPECTED[fault] in violation for violation in run.violations), run.violations
