"""Outcomes cross process boundaries as plain data and merge back into one, wording and counts intact."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import orjson

from contract_tests.reporting.exchange import Exchange
from contract_tests.reporting.plain import merged, outcome_of, plain_outcome
from contract_tests.running.records import Minimizing, Outcome
from contract_tests.sending.transport import Response
from tests.contract_tests.reporting.conftest import one_failure


def test_an_outcome_reads_back_as_it_was_written() -> None:
    outcome = one_failure()
    outcome.failures[0].violation.response = Response("http://h", 200, {}, b"[]")
    back = outcome_of(orjson.loads(orjson.dumps(plain_outcome(outcome, "x-API-Key"))))
    assert (back.checks, back.passed, back.failed, back.examples) == (
        outcome.checks,
        outcome.passed,
        outcome.failed,
        outcome.examples,
    )
    (failure,) = back.failures
    assert str(failure.violation) == str(outcome.failures[0].violation)
    assert (failure.check, failure.url, failure.credentials) == ("sort_order", outcome.failures[0].url, "key")
    assert isinstance(failure.violation.response, Exchange) and failure.violation.response.body == "[]"


def test_the_run_facts_unsettled_counts_and_minimizing_cross_too() -> None:
    outcome = one_failure()
    outcome.seed, outcome.command, outcome.spec_version, outcome.started_at = 3, "contract-tests", "2.0.0", "now"
    outcome.unsettled.update({"pages_tile": 1})
    outcome.minimizing = Minimizing(1, 5, 40, 1.5, ["20 examples per failure"])
    back = outcome_of(orjson.loads(orjson.dumps(plain_outcome(outcome, "x-API-Key"))))
    assert (back.seed, back.command, back.spec_version, back.started_at) == (3, "contract-tests", "2.0.0", "now")
    assert back.unsettled == outcome.unsettled and back.minimizing == outcome.minimizing
    total = merged([back, back])
    assert total.unsettled["pages_tile"] == 2 and total.minimizing.examples == 10 and total.seed == 3


def test_merged_outcomes_sum_their_counts_and_keep_every_failure() -> None:
    other = Outcome(checks=("page_size", "content_type"), passed=Counter({"page_size": 2}), examples=2, error="x")
    total = merged([one_failure(), other])
    assert total.checks == ("sort_order", "page_size", "relation_union", "content_type")
    assert total.passed["page_size"] == 6 and total.examples == 6 and len(total.failures) == 1
    assert total.error == "x"
    assert merged([other], checks=["content_type"]).checks == ("content_type",)


def test_outcomes_of_several_operations_cross_and_merge_per_operation() -> None:
    first, second = one_failure(), Outcome(checks=("item_is_listed",), operation="getCustomer (GET /x/{id})")
    first.operation = "listCustomers (GET /x)"
    first.failures = [replace(each, operation=first.operation) for each in first.failures]
    second.passed["item_is_listed"] = 2
    run = Outcome(per_operation=[first, second], checks=(*first.checks, *second.checks), failures=first.failures)
    back = outcome_of(plain_outcome(run, "x-API-Key"))
    assert [part.operation for part in back.sections] == [first.operation, second.operation]
    assert back.failures[0].operation == first.operation
    total = merged([back, back])  # two workers' snapshots of one run
    assert [part.operation for part in total.sections] == [first.operation, second.operation]
    assert total.sections[1].passed["item_is_listed"] == 4 and total.passed["item_is_listed"] == 4
