"""One area's Hypothesis test: draw its examples for the pool to send, then shrink the ones that failed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy

from contract_tests.generation.cases import Case
from contract_tests.generation.coverage import AreaRun
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.judge import Judged
from contract_tests.running.findings import record_final
from contract_tests.running.minimizing import BudgetSpent, MinimizingBudget
from contract_tests.running.pool import ExamplePool, Stop, TimeUp
from contract_tests.running.records import Options
from customers_spec.errors import Unreachable


class Explorer:
    """One area's Hypothesis test, run twice with the same seed: to draw the examples, and to shrink failures.

    Hypothesis draws the same examples for the same seed whatever the test does while none fails, so the
    examples are drawn first with a test that only collects them (no network), then sent by the pool. Only
    if some failed does Hypothesis run again, serially: the examples judged already are answered from their
    verdicts, and only the shrinker's new candidates are sent. The requests judged and the verdicts are thus
    those of a serial run, whatever the number of workers.
    """

    def __init__(self, state: ExamplePool, strategy: SearchStrategy[Case], record: AreaRun) -> None:
        self.state, self.record = state, record
        self.drawn: list[Case] = []
        self.verdicts: dict[tuple[Any, ...], Judged] = {}
        self.failed = False
        self.replaying = False
        self.unsent: set[tuple[Any, ...]] = set()  # drawn but never sent (--max-failures): shrinking skips them too
        self.budget: MinimizingBudget | None = None
        options = state.options
        chosen = hypothesis_settings(replace(options, max_examples=record.planned))
        self.test = settings(chosen)(given(case=strategy)(self.one_request))
        if options.seed is not None or not chosen.derandomize:  # both passes must draw alike: fix the seed
            seed = options.seed if options.seed is not None else random.getrandbits(64)  # the runner gives one
            self.test = hypothesis_seed(seed)(self.test)

    def one_request(self, case: Case) -> None:
        if not self.replaying:
            self.drawn.append(case)
            return
        judged = self.verdicts.get(case_key(case))
        if judged is None and case_key(case) in self.unsent:
            return
        if judged is None:
            if self.budget is not None:
                self.budget.spend()
            try:
                judged = next(self.state.execute([case]))
            except Unreachable as exc:
                raise Stop(exc) from None
            if judged is None:
                raise TimeUp
            self.verdicts[case_key(case)] = judged  # asked again, it gets this verdict: Hypothesis sees no flake
            record_final(self.state.outcome, self.state.ctx, [violation for _, violation in judged.violations])
        if judged.violations:
            raise judged.violations[0][1]

    def draw(self) -> None:
        try:
            self.test()
        except Unsatisfiable:
            self.record.unsatisfiable = True  # the data leaves this area nothing valid to send
        self.record.generated = len(self.drawn)

    def leave_unsent(self) -> None:
        """The run has enough failures: the examples not sent yet stay unsent while the failures are shrunk."""
        self.unsent = {case_key(case) for case in self.drawn} - set(self.verdicts)

    def judged(self, case: Case, judged: Judged) -> None:
        self.record.run += 1
        self.verdicts.setdefault(case_key(case), judged)
        self.failed = self.failed or bool(judged.violations)

    def failures(self) -> int:
        """The distinct failures Hypothesis will shrink here: one per kind of the first violation of an example."""
        return len({type(judged.violations[0][1]) for judged in self.verdicts.values() if judged.violations})

    def shrink(self, budget: MinimizingBudget) -> None:
        """Minimize this area's failures within ``budget``; what a spent budget leaves is kept as simplified so far
        (every failing candidate went through ``record_final``)."""
        self.replaying, self.budget = True, budget
        budget.start_area(self.failures())
        outcome, ctx = self.state.outcome, self.state.ctx
        try:
            self.test()
        except BudgetSpent:
            pass
        except ContractViolation as violation:
            record_final(outcome, ctx, [violation])
        except BaseExceptionGroup as group:  # several failures, or one and the end of the run (time, server, budget)
            leaves = list(_leaves(group))
            record_final(outcome, ctx, [leaf for leaf in leaves if isinstance(leaf, ContractViolation)])
            ending = next((leaf for leaf in leaves if isinstance(leaf, Stop | TimeUp)), None)
            if ending is not None:
                raise ending from None
            if not all(isinstance(leaf, ContractViolation | BudgetSpent) for leaf in leaves):
                raise


def case_key(case: Case) -> tuple[Any, ...]:
    """What makes two generated cases the same request."""
    return case.kind, case.query, case.invalid


def hypothesis_settings(options: Options) -> settings:
    """The settings of an area's test: the run's profile, quiet, no database, shrinking only if asked for."""
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if options.shrink else [])
    return settings(
        settings.get_profile(options.profile),
        max_examples=options.max_examples,
        phases=phases,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=True,
        verbosity=Verbosity.quiet,
        print_blob=False,
    )


def _leaves(group: BaseExceptionGroup[Any]) -> Iterator[BaseException]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc
