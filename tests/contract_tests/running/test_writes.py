"""A write run's report: each check, each record written and removed; a record a server will not delete is
named as left, with the marker it carries."""

from __future__ import annotations

from pathlib import Path

from contract_tests.running.writes import run_writes
from contract_tests.sending.writer import Writer
from customers_spec import Api
from customers_spec.datafile import Dataset
from selftest.servers import free_port
from selftest.write_faults import serving
from tests.mockserver.conftest import AUTH


def test_the_report_lists_the_checks_and_what_was_written_and_removed(
    example_api: Api, dataset: Dataset, tmp_path: Path
) -> None:
    with serving(None, dataset, tmp_path / "state.sqlite") as url:
        run = run_writes(example_api, Writer(url, AUTH))
    lines = run.lines()
    assert "ok    customers: a deleted record is a 404" in lines
    assert [line.split()[0] for line in lines[-2:]] == ["written", "removed"]


def test_a_record_the_server_will_not_delete_is_reported_as_left(
    example_api: Api, dataset: Dataset, tmp_path: Path
) -> None:
    with serving("delete forgotten", dataset, tmp_path / "state.sqlite") as url:
        run = run_writes(example_api, Writer(url, AUTH), "left")
    assert run.left == run.written and run.removed == []
    assert run.lines()[-1].startswith("LEFT     /v2/customers/") and "marker" in run.lines()[-1]


def test_a_server_that_stops_answering_ends_the_run_saying_so(example_api: Api) -> None:
    run = run_writes(example_api, Writer(f"http://127.0.0.1:{free_port()}", AUTH, timeout=2))
    assert run.error.startswith("GET http://127.0.0.1:") and run.lines()[-1].startswith("COULD NOT FINISH")
