"""The pool that sends a run's examples and judges them, with the run's clock and counters.

Sending is the only concurrent part of a run (``Options.workers``): examples are judged in threads but
counted in the calling thread, in the order they were given, so counts and verdicts do not depend on the
number of workers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.judge import Judged, judge_response
from contract_tests.judging.registry import Check
from contract_tests.running.progress import Progress
from contract_tests.running.records import Options, Outcome
from contract_tests.sending.pacing import PoliteTransport, Traffic
from customers_spec.errors import Unreachable


class Stop(BaseException):
    """Raised inside the Hypothesis test when the server is unreachable, so Hypothesis neither retries nor shrinks."""

    def __init__(self, reason: Unreachable) -> None:
        super().__init__(str(reason))
        self.reason = reason


class TimeUp(BaseException):
    """Raised when ``--max-time`` is reached: the run ends, keeping what it found."""


class ExamplePool:
    """One run's shared state: the context, checks, options, the clock and the pool that sends examples."""

    def __init__(
        self,
        ctx: Context,
        checks: Sequence[Check],
        options: Options,
        outcome: Outcome,
        progress: Callable[[Progress], None] | None,
    ) -> None:
        self.ctx, self.checks, self.options, self.outcome = ctx, checks, options, outcome
        self.progress = progress
        self.started = time.monotonic()
        self.deadline = self.started + options.max_time if options.max_time is not None else None
        self.pool = ThreadPoolExecutor(options.workers) if options.workers > 1 else None
        self.area = "smoke requests"
        self.smoke = 0  # the smoke requests sent before the planned examples (the runner sets it)

    def time_is_up(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def has_enough_failures(self) -> bool:
        """``--max-failures`` reached: the examples after this one are not sent (as ``st run --max-failures``)."""
        limit = self.options.max_failures
        return limit is not None and len(self.outcome.failures) >= limit

    def judge(self, case: Case) -> Judged | None:
        """Send one example and run its checks; None when the time was up before it started."""
        if self.time_is_up():
            return None
        return _judge(self.ctx.for_example(), case, self.checks)

    def execute(self, cases: Sequence[Case]) -> Iterator[Judged | None]:
        """Each case judged, concurrently when there are workers, yielded in the order given."""
        if self.pool is None:
            results: Iterable[Judged | None] = map(self.judge, cases)
        else:
            results = self.pool.map(self.judge, cases)
        for judged in results:
            if judged is not None:
                self.tally(judged)
            yield judged

    def tally(self, judged: Judged) -> None:
        """Count an example's verdicts (in the calling thread only, so counters need no lock)."""
        outcome = self.outcome
        outcome.examples += 1
        outcome.passed.update(judged.passed)
        outcome.failed.update(name for name, _ in judged.violations)
        outcome.settled.update(judged.settled)
        outcome.unsettled.update(judged.unsettled)
        if self.progress is not None:
            sent = traffic(self.ctx)
            planned = self.smoke + (sum(area.generated for area in outcome.areas) or self.options.max_examples)
            elapsed = time.monotonic() - self.started
            minimizing = outcome.minimizing.examples
            self.progress(
                Progress(outcome.examples, planned, self.area, sent.requests, sent.retries, elapsed, minimizing)
            )

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def traffic(ctx: Context) -> Traffic:
    """What the run's transport sent so far (nothing is counted on a transport that is not polite)."""
    transport = ctx.transport
    return transport.traffic if isinstance(transport, PoliteTransport) else Traffic()


def _judge(ctx: Context, case: Case, checks: Sequence[Check]) -> Judged:
    """Send one request and run every applicable check on it; the violations are tagged with the case."""
    response = ctx.send(case)
    return judge_response(ctx, case, response, checks)
