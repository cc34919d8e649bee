"""Minimizing failures within a budget, so that a failing run says why about as fast as a passing run passes.

Left alone, Hypothesis shrinks each distinct failure for as long as it makes progress (up to 500 steps and five
minutes each); against a server with several violations that is many times the run itself, and a CI job waits
for it. Minimizing gets a budget instead: ``PER_FAILURE`` examples for each distinct failure of an area, at most
``Options.shrink_examples`` in all (by default as many as the run generated, so minimizing at most doubles what
is sent), and no longer than exploring took (at least ``MIN_SECONDS``). The step budgets are counted, so a
seeded run minimizes alike every time; the time limit is the guard for a slow server. When a budget is spent,
each failure is reported as simplified so far: every failing example sent while minimizing is offered to
``findings.record_final``, which keeps the simplest.
"""

from __future__ import annotations

import time

from contract_tests.running.records import Minimizing, Options

PER_FAILURE = 20  # examples sent to minimize one distinct failure
MIN_SECONDS = 10.0  # the time limit is never shorter than this


class BudgetSpent(BaseException):
    """Raised inside an area's Hypothesis test when minimizing has spent its budget: its shrinking stops there."""


class MinimizingBudget:
    """The examples and time minimizing may still spend, per area (its failures) and in all."""

    def __init__(self, options: Options, record: Minimizing, explored_s: float) -> None:
        self.record = record
        self.total = options.shrink_examples if options.shrink_examples is not None else options.max_examples
        self.left = self.total
        self.seconds = options.shrink_seconds if options.shrink_seconds is not None else max(MIN_SECONDS, explored_s)
        self.started = time.monotonic()
        self.area_left = 0

    def start_area(self, failures: int) -> None:
        """An area starts minimizing ``failures`` distinct failures: its share of the budget."""
        self.record.failures += failures
        self.area_left = PER_FAILURE * failures

    def spend(self) -> None:
        """Count one example about to be sent; ``BudgetSpent`` when no example or no time is left."""
        if self.area_left <= 0:
            self._reached(f"{PER_FAILURE} examples per failure")
        if self.left <= 0:
            self._reached(f"{self.total} examples in all")
        if time.monotonic() - self.started >= self.seconds:
            self._reached(f"{self.seconds:.0f} s")
        self.area_left -= 1
        self.left -= 1
        self.record.examples += 1

    def finish(self) -> None:
        self.record.seconds = time.monotonic() - self.started

    def _reached(self, limit: str) -> None:
        if limit not in self.record.limits:
            self.record.limits.append(limit)
        raise BudgetSpent(limit)
