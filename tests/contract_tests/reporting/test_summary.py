"""The wording every report shares: plurals, the verdict, rows failing first with descriptions, the run's lines."""

from __future__ import annotations

from collections import Counter

from contract_tests.reporting import summary
from contract_tests.running.records import Minimizing, Outcome
from tests.contract_tests.reporting.conftest import one_failure


def test_counts_are_singular_for_one() -> None:
    assert [summary.plural(count, "example") for count in (0, 1, 2)] == ["0 examples", "1 example", "2 examples"]


def test_the_verdict_counts_what_the_run_judged_in_its_unit() -> None:
    assert summary.verdict(Outcome(examples=102)) == "conforms: 102 examples, no violations"
    assert summary.verdict(Outcome(examples=1, unit="request")) == "conforms: 1 request, no violations"


def test_rows_put_failing_checks_first_with_their_description() -> None:
    outcome = one_failure()
    outcome.checks = ("page_size", "sort_order", "no_such_team_check")
    rows = summary.check_rows(outcome)
    assert [(row.name, row.result) for row in rows] == [
        ("sort_order", "failed"),
        ("page_size", "ok"),
        ("no_such_team_check", "nothing judged"),
    ]
    assert rows[0].judged == 4 and rows[0].description.startswith("Items follow") and rows[2].description == ""


def test_the_unsettled_line_is_there_at_zero_and_names_the_checks_otherwise() -> None:
    assert summary.unsettled(Outcome()).startswith(
        "unsettled: 0 of 0 comparisons (disagreements that did not reproduce"
    )
    line = summary.unsettled(Outcome(unsettled=Counter({"pages_tile": 2, "link_targets": 1, "deterministic": 0})))
    assert line.startswith("unsettled: 3 of 3 comparisons (") and line.endswith(": link_targets 1, pages_tile 2")


def test_minimizing_is_said_only_when_it_ran() -> None:
    assert summary.minimizing(Outcome()) is None
    done = Outcome(minimizing=Minimizing(2, 1, 9, 0.5))
    assert summary.minimizing(done) == "minimizing the failures: 0.5 s, 1 example (9 HTTP requests)"


def test_the_seed_or_that_there_is_none() -> None:
    assert summary.seed(Outcome(seed=12)) == "12"
    assert summary.seed(Outcome()).startswith("none (derandomized")
    assert summary.kit_version() != "unknown"
