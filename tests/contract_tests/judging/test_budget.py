"""Confirming's budget: as long as the rest of the run, at least MIN_SECONDS, counted per disagreement."""

from __future__ import annotations

from contract_tests.judging.budget import MIN_SECONDS, ConfirmingBudget


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_confirming_may_take_as_long_as_the_rest_of_the_run_and_at_least_the_minimum() -> None:
    clock = Clock()
    budget = ConfirmingBudget(clock=clock)
    budget.start()
    assert budget.allowed() == MIN_SECONDS and not budget.spent()
    clock.now = 30.0  # 30 s exploring
    with budget.timing():
        clock.now += 25.0
    assert budget.allowed() == 30.0 and not budget.spent() and budget.record.seconds == 25.0
    with budget.timing():
        clock.now += 5.0
    assert budget.spent() and budget.spent(), "spent: each disagreement after is left unasked"
    assert budget.record.unasked == 2 and budget.record.seconds_allowed == 30.0


def test_windows_count_the_moves_and_the_items_gone_and_a_start_forgets_them() -> None:
    budget = ConfirmingBudget(clock=Clock())
    budget.window(moved=True)
    budget.window(moved=False, gone=2)
    assert (budget.record.windows, budget.record.moved, budget.record.gone) == (2, 1, 2)
    budget.start()
    assert budget.record.windows == 0


def test_a_fixed_budget_holds_whatever_the_run_took() -> None:
    clock = Clock()
    budget = ConfirmingBudget(seconds=0.0, clock=clock)
    clock.now = 100.0
    assert budget.allowed() == 0.0 and budget.spent()
