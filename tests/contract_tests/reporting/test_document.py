"""The document every file report is drawn from (the JSON report is exactly it), free of the key."""

from __future__ import annotations

from contract_tests.reporting.document import report_document
from contract_tests.running.records import Outcome
from tests.contract_tests.reporting.conftest import one_failure


def test_the_document_says_verdict_checks_and_failures() -> None:
    document = report_document(one_failure(), "x-API-Key", "Brien", title="run")
    assert document["title"] == "run" and document["conforms"] is False and document["exit_code"] == 1
    assert document["verdict"] == "1 contract violation(s) in 4 requests" and document["requests"] == 4
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
