"""The text report: each failure with its expectation, path and reproduction, the table, coverage, the verdict."""

from __future__ import annotations

from collections import Counter

from contract_tests.generation.coverage import AreaRun
from contract_tests.judging.budget import Confirming
from contract_tests.reporting.summary import verdict
from contract_tests.reporting.text import coverage, describe, summary_table, text_report
from contract_tests.running.records import Minimizing, Outcome
from contract_tests.sending.pacing import Traffic
from tests.contract_tests.reporting.conftest import one_failure


def test_the_text_report_names_check_expectation_path_and_reproduction() -> None:
    text = text_report(one_failure(), "x-API-Key")
    assert "FAILED sort_order: items are not in the requested order" in text
    assert "  expected: order name:1,_id:1\n  got:      item b before item a\n  at:       $[1]" in text
    assert "  check:    Items follow the requested sort keys" in text
    assert "1 contract violation in 4 examples" in text
    table = summary_table(one_failure()).splitlines()
    assert table[2].split() == ["sort_order", "3", "1", "0", "FAILED"]
    assert table[4].split() == ["relation_union", "0", "0", "0", "nothing", "judged"]


def test_failing_checks_come_first_in_the_table() -> None:
    outcome = one_failure()
    outcome.checks = ("page_size", "relation_union", "sort_order")
    names = [line.split()[0] for line in summary_table(outcome).splitlines()[2:]]
    assert names == ["sort_order", "page_size", "relation_union"]


def test_the_report_says_the_seed_and_the_command_that_repeats_the_run() -> None:
    outcome = one_failure()
    outcome.seed, outcome.command = 1234, 'contract-tests --base-url http://h --api-key "$API_KEY" --seed 1234'
    text = text_report(outcome, "x-API-Key")
    assert 'seed: 1234\nrepeat: contract-tests --base-url http://h --api-key "$API_KEY" --seed 1234' in text
    assert "seed: none (derandomized" in text_report(Outcome(examples=1), "x-API-Key")


def test_urls_that_disagree_are_listed_as_curls_too() -> None:
    outcome = one_failure()
    outcome.failures[0].violation.requests = ("http://h/v2/customers?limit=1",)
    assert "  disagrees: curl -sS -i 'http://h/v2/customers?limit=1'" in describe(outcome.failures[0], "x-API-Key")


def test_coverage_says_traffic_retries_gaps_and_an_early_stop() -> None:
    outcome = Outcome(
        examples=10,
        seconds=2.0,
        areas=[AreaRun("filter name", 5, 5, 5), AreaRun("API key", 5, 0, 0)],
        traffic=Traffic(requests=40, retries=2, waited_s=1.5),
        stopped="the time limit of 2 s was reached",
        gaps=["filter objectIds: no id in objects is known"],
    )
    text = coverage(outcome)
    assert text.startswith("covered: 10 examples in 1 of 2 areas, 40 HTTP requests (4.0 per example), 2.0 s")
    assert "retried: 2 requests after 429/503 with Retry-After (1.5 s)" in text
    assert "\nunsettled: 0 of 0 comparisons (disagreements that did not reproduce" in text, (
        "the unsettled count, zero included"
    )
    assert "stopped early: the time limit of 2 s was reached" in text and "areas not reached: API key" in text
    assert text.endswith("not generated (so not judged):\n  - filter objectIds: no id in objects is known")


def test_coverage_says_how_long_minimizing_took_and_why_it_stopped() -> None:
    outcome = Outcome(examples=1, minimizing=Minimizing(4, 80, 700, 6.25, ["20 examples per failure"]))
    outcome.unsettled.update({"pages_tile": 2})
    text = coverage(outcome)
    assert "minimizing the failures: 6.2 s, 80 examples (700 HTTP requests);" in text
    assert "stopped at its limit of 20 examples per failure" in text
    assert "unsettled: 2 of 2 comparisons (" in text and text.split("unsettled: ")[1].splitlines()[0].endswith(
        ": pages_tile 2"
    )
    assert "minimizing" not in coverage(Outcome(examples=1)), "nothing minimized, nothing said"


def test_the_verdict_is_one_line_per_exit_status() -> None:
    assert verdict(Outcome(examples=3)) == "conforms: 3 examples, no violations"
    assert verdict(Outcome(examples=1)) == "conforms: 1 example, no violations"
    assert verdict(one_failure()) == "1 contract violation in 4 examples"
    assert verdict(Outcome(error="no answer")) == "COULD NOT TEST: no answer"
    assert verdict(Outcome(examples=3, stopped="time")) == "conforms: 3 examples, no violations (stopped early)"


def test_unsettled_comparisons_have_their_own_line_and_most_of_them_a_verdict() -> None:
    few = Outcome(examples=9, unsettled=Counter(pages_tile=1), settled=Counter(pages_tile=20))
    assert "unsettled: 1 of 21 comparisons (" in coverage(few) and "not failures): pages_tile 1" in coverage(few)
    assert verdict(few) == "conforms: 9 examples, no violations"
    most = Outcome(examples=9, unsettled=Counter(pages_tile=4, deterministic=3), settled=Counter(pages_tile=2))
    assert "deterministic 3, pages_tile 4" in coverage(most)
    assert verdict(most) == (
        "COULD NOT JUDGE: 7 of 9 comparisons between answers stayed unsettled (the data changed during the check)"
        " in 9 examples"
    )
    assert "unsettled: 0 of 0 comparisons" in coverage(Outcome(examples=9))
    done = Confirming(12, 9, 2, 40.0, 3, 38.4, undecided=1)
    moved = Outcome(examples=9, unsettled=Counter(pages_tile=1), confirming=done)
    assert verdict(moved) == (
        "COULD NOT JUDGE: 1 of 1 comparison between answers stayed unsettled (the data changed during the check)"
        " in 9 examples; the data was seen to move in 9 of 12 windows asked again, 2 items it named gone;"
        " 1 disagreement never found the data still enough to judge;"
        " confirming spent its budget of 38 s and left 3 disagreements unasked"
    )
    assert coverage(moved).count("the data was seen to move in 9 of 12 windows") == 1
    alone = Outcome(examples=9, confirming=Confirming(windows=2, by_sign_alone=1))
    assert "1 disagreement judged by the sign of change alone (no id filter in the spec" in coverage(alone)
