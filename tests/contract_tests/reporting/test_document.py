"""The document every file report is drawn from (the JSON report is exactly it), free of the key."""

from __future__ import annotations

from importlib import metadata

from contract_tests.reporting.document import report_document
from contract_tests.running.records import Minimizing, Outcome
from tests.contract_tests.reporting.conftest import one_failure


def test_the_document_says_verdict_checks_and_failures() -> None:
    document = report_document(one_failure(), "x-API-Key", "Brien", title="run")
    assert document["title"] == "run" and document["conforms"] is False and document["exit_code"] == 1
    assert document["verdict"] == "1 contract violation in 4 examples" and document["run"]["examples"] == 4
    assert [(check["name"], check["judged"], check["result"]) for check in document["checks"]] == [
        ("sort_order", 4, "failed"),
        ("page_size", 4, "ok"),
        ("relation_union", 0, "nothing judged"),
    ]
    (failure,) = document["failures"]
    assert (failure["check"], failure["expected"], failure["got"], failure["path"]) == (
        "sort_order",
        "order name:1,_id:1",
        "item b before item a",
        "$[1]",
    )
    assert (
        failure["curl"].startswith("curl -sS -i 'http://127.0.0.1:3000/v2/customers?name=O'")
        and failure["exchange"] is None
    )
    assert "Brien" not in str(document), "the key is redacted everywhere, a URL included"


def test_a_run_that_could_not_test_has_its_own_title_and_error() -> None:
    document = report_document(Outcome(error="refused"), "x-API-Key")
    assert document["title"] == "contract-tests report" and document["exit_code"] == 2
    assert document["error"] == "refused" and document["verdict"] == "COULD NOT TEST: refused"


def test_the_document_carries_what_a_reader_of_any_report_needs() -> None:
    outcome = one_failure()
    outcome.seed, outcome.started_at, outcome.spec_version = 77, "2026-12-03T05:00:00+00:00", "2.0.0"
    outcome.command, outcome.seconds = 'contract-tests --base-url http://h --api-key "$API_KEY" --seed 77', 12.5
    outcome.gaps = ["filter objectIds: no id in objects is known"]
    outcome.unsettled.update({"page_size": 2})
    outcome.minimizing = Minimizing(1, 20, 180, 3.0, ["20 examples per failure"])
    document = report_document(outcome, "x-API-Key", "Brien")
    run = document["run"]
    assert (run["seed"], run["started_at"], run["spec_version"], run["duration_s"]) == (
        77,
        "2026-12-03T05:00:00+00:00",
        "2.0.0",
        12.5,
    )
    assert run["command"] == outcome.command and run["kit_version"] == metadata.version("customers-api-kit")
    assert document["coverage"]["not_generated"] == outcome.gaps and document["coverage"]["line"].startswith("covered")
    assert document["unsettled"]["total"] == 2 and document["unsettled"]["by_check"]["sort_order"] == 0
    assert [check["unsettled"] for check in document["checks"]] == [0, 2, 0]
    assert document["minimizing"]["line"].startswith("minimizing the failures: 3.0 s, 20 examples")
    assert document["checks"][0]["description"] == document["failures"][0]["description"] != ""
    assert document["failures"][0]["description"].startswith("Items follow the requested sort keys")


def test_failing_checks_are_listed_first() -> None:
    outcome = one_failure()
    outcome.checks = ("page_size", "relation_union", "sort_order")
    assert report_document(outcome, "x-API-Key")["checks"][0]["name"] == "sort_order"
