"""A run's records: options with defaults for everything, an outcome whose exit status says the verdict."""

from __future__ import annotations

from collections import Counter

from contract_tests.judging.budget import Confirming
from contract_tests.judging.failures import PageSizeViolation
from contract_tests.running.profiles import DEFAULT_PROFILE
from contract_tests.running.records import Failure, Options, Outcome


def test_options_default_to_one_serial_shrinking_run() -> None:
    options = Options()
    assert (options.max_examples, options.seed, options.profile, options.shrink, options.workers) == (
        100,
        None,
        DEFAULT_PROFILE,
        True,
        1,
    )
    assert options.max_time is None and options.max_failures is None


def test_the_exit_status_is_0_conforming_1_violated_2_could_not_test() -> None:
    failure = Failure("page_size", PageSizeViolation("2 items", "3 items"), "http://h", "key")
    assert Outcome().exit_code == 0 and Outcome(stopped="time").exit_code == 0
    assert Outcome(failures=[failure]).exit_code == 1
    assert Outcome(failures=[failure], error="refused").exit_code == 2


def test_most_comparisons_unsettled_is_2_could_not_judge_unless_a_violation_reproduced() -> None:
    failure = Failure("page_size", PageSizeViolation("2 items", "3 items"), "http://h", "key")
    moving = Outcome(unsettled=Counter(pages_tile=4, deterministic=2), settled=Counter(pages_tile=5))
    assert moving.could_not_judge and moving.exit_code == 2
    assert Outcome(unsettled=moving.unsettled, settled=Counter(pages_tile=6)).exit_code == 0, "settled are most"
    assert Outcome(unsettled=Counter(pages_tile=4)).exit_code == 0, "too few to say"
    assert Outcome(unsettled=moving.unsettled, settled=moving.settled, failures=[failure]).exit_code == 1


def test_confirming_out_of_its_budget_is_2_could_not_judge_unless_a_violation_reproduced() -> None:
    failure = Failure("page_size", PageSizeViolation("2 items", "3 items"), "http://h", "key")
    spent = Confirming(windows=40, moved=38, unasked=1, seconds_allowed=30.0)
    assert Outcome(unsettled=Counter(pages_tile=1), settled=Counter(pages_tile=50), confirming=spent).exit_code == 2
    assert Outcome(confirming=spent, failures=[failure]).exit_code == 1
    assert Outcome(confirming=Confirming(windows=40, moved=38)).exit_code == 0, "every disagreement was asked"


def test_disagreements_never_asked_again_on_still_data_are_2_could_not_judge_when_more_than_a_few() -> None:
    settled = Counter(pages_tile=300)
    moving = Outcome(unsettled=Counter(pages_tile=40), settled=settled, confirming=Confirming(undecided=5))
    assert moving.exit_code == 2, "a fault among them would not have been told from a write"
    few = Outcome(unsettled=Counter(pages_tile=40), settled=settled, confirming=Confirming(undecided=4))
    assert few.exit_code == 0
