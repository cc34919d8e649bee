"""Runs the checks on generated requests with Hypothesis, which shrinks every failing request to a minimal one.

The runner is what the CLI and the pytest plugin share: build a ``Context`` (reads a data sample), then
``run`` the selected checks. Each distinct violation is reported once, with the shrunk request that causes
it. A server that stops answering ends the run as "could not test", never as a traceback.

Concurrency (``Options.workers``) is confined to sending: Hypothesis draws each area's examples in one thread,
a pool sends them and runs their checks, and shrinking runs serially again (see ``_explore_area``), so a
seeded run sends the same requests and reaches the same verdicts with any number of workers.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy

from contract_tests.generation.cases import KINDS, Case, Credentials, Kind
from contract_tests.generation.coverage import AreaRun, area_gaps, data_gaps
from contract_tests.generation.strategies import areas
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import NOT_JUDGED, Check
from contract_tests.running.profiles import DEFAULT_PROFILE
from contract_tests.running.progress import Progress
from contract_tests.sending.pacing import PoliteTransport, Traffic
from contract_tests.sending.transport import Response
from customers_spec.errors import KitError, Unreachable


@dataclass(frozen=True)
class Options:
    """How much to generate and how: every field has a default, so callers name only what they change."""

    max_examples: int = 100
    seed: int | None = None
    profile: str = DEFAULT_PROFILE
    shrink: bool = True  # False: no minimizing; every example runs and each check's first failure is kept as found
    workers: int = 1  # examples sent concurrently; generation and shrinking stay serial
    max_time: float | None = None  # seconds; the run stops starting examples after it
    max_failures: int | None = None  # the run stops sending examples once this many distinct violations are found


@dataclass(frozen=True)
class Failure:
    """One distinct violation with the (shrunk) request that shows it."""

    check: str
    violation: ContractViolation
    url: str
    credentials: Credentials


@dataclass
class Outcome:
    """What a run found: per-check counts, distinct failures, what it covered and why it stopped early if it did."""

    checks: tuple[str, ...] = ()
    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    examples: int = 0
    error: str | None = None
    stopped: str | None = None  # the run ended early (--max-time, --max-failures) before every example ran
    areas: list[AreaRun] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # what could not be generated (coverage.data_gaps, area_gaps)
    traffic: Traffic = field(default_factory=Traffic)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0: conforms (also when stopped on time); 1: violations found; 2: could not test."""
        if self.error is not None:
            return 2
        return 1 if self.failures else 0


@dataclass
class Judged:
    """One example's verdicts: the checks that passed and the violations found."""

    case: Case
    passed: list[str] = field(default_factory=list)
    violations: list[tuple[str, ContractViolation]] = field(default_factory=list)


class _Stop(BaseException):
    """Raised inside the Hypothesis test when the server is unreachable, so Hypothesis neither retries nor shrinks."""

    def __init__(self, reason: Unreachable) -> None:
        super().__init__(str(reason))
        self.reason = reason


class _TimeUp(BaseException):
    """Raised when ``--max-time`` is reached: the run ends, keeping what it found."""


class _Run:
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
        if self.progress is not None:
            traffic = _traffic(self.ctx)
            planned = sum(area.planned for area in outcome.areas) or self.options.max_examples
            elapsed = time.monotonic() - self.started
            self.progress(Progress(outcome.examples, planned, self.area, traffic.requests, traffic.retries, elapsed))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def run(
    ctx: Context,
    checks: Sequence[Check],
    options: Options = Options(),
    *,
    progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """Check smoke requests, then ``options.max_examples`` generated ones; never raises for the server's sake."""
    outcome = Outcome(checks=tuple(check.name for check in checks))
    kinds = _kinds(checks, ctx.rejects_invalid_keys)
    outcome.gaps = data_gaps(ctx.spec, ctx.sample, kinds)
    state = _Run(ctx, checks, options, outcome, progress)
    try:
        for judged in state.execute(_smoke_cases(kinds)):
            if judged is not None:
                _record(outcome, ctx, judged.case, judged.violations)
        if state.has_enough_failures():
            outcome.stopped = _enough(options)
        else:
            _explore(state, kinds)
    except _Stop as stop:
        outcome.error = str(stop.reason)
    except Unreachable as exc:
        outcome.error = str(exc)
    except _TimeUp:
        outcome.stopped = f"the time limit of {options.max_time:g} s was reached"
    finally:
        state.close()
        outcome.traffic = _traffic(ctx)
        outcome.seconds = time.monotonic() - state.started
        outcome.gaps += area_gaps(outcome.areas)
    return outcome


def _explore(state: _Run, kinds: set[Kind]) -> None:
    """Split the examples between the areas of the spec (``strategies.areas``), draw them all, send them all
    (one pool for every area, so even small areas keep the workers busy), then shrink each area's failures."""
    ctx, options, outcome = state.ctx, state.options, state.outcome
    parts = areas(ctx.spec, sample=ctx.sample, kinds=kinds)
    planned = shares(options.max_examples, [area.weight for area in parts])
    outcome.areas = [AreaRun(area.name, examples) for area, examples in zip(parts, planned, strict=True)]
    explorers = [
        _Explorer(state, area.strategy, record)
        for area, record in zip(parts, outcome.areas, strict=True)
        if record.planned
    ]
    for explorer in explorers:
        explorer.draw()
    drawn = [(explorer, case) for explorer in explorers for case in explorer.drawn]
    for (explorer, case), judged in zip(drawn, state.execute([case for _, case in drawn]), strict=True):
        if judged is None:
            raise _TimeUp  # what was found is kept as found, unshrunk: there is no time left to shrink
        state.area = explorer.record.name
        explorer.judged(case, judged)
        _record_final(outcome, ctx, [violation for _, violation in judged.violations])
        if state.has_enough_failures():
            outcome.stopped = _enough(options)
            for explorer in explorers:
                explorer.leave_unsent()
            break
    if options.shrink:
        for explorer in explorers:
            if explorer.failed:
                state.area = f"shrinking in {explorer.record.name}"
                explorer.shrink()


def _enough(options: Options) -> str:
    return f"--max-failures {options.max_failures} was reached"


def shares(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders first), summing to ``total`` exactly."""
    exact = [total * weight / sum(weights) for weight in weights]
    result = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda index: result[index] - exact[index])
    for index in by_remainder[: total - sum(result)]:
        result[index] += 1
    return result


class _Explorer:
    """One area's Hypothesis test, run twice with the same seed: to draw the examples, and to shrink failures.

    Hypothesis draws the same examples for the same seed whatever the test does while none fails, so the
    examples are drawn first with a test that only collects them (no network), then sent by the pool. Only
    if some failed does Hypothesis run again, serially: the examples judged already are answered from their
    verdicts, and only the shrinker's new candidates are sent. The requests judged and the verdicts are thus
    those of a serial run, whatever the number of workers.
    """

    def __init__(self, state: _Run, strategy: SearchStrategy[Case], record: AreaRun) -> None:
        self.state, self.record = state, record
        self.drawn: list[Case] = []
        self.verdicts: dict[tuple[Any, ...], Judged] = {}
        self.failed = False
        self.replaying = False
        self.unsent: set[tuple[Any, ...]] = set()  # drawn but never sent (--max-failures): shrinking skips them too
        options = state.options
        chosen = _settings(replace(options, max_examples=record.planned))
        self.test = settings(chosen)(given(case=strategy)(self.one_request))
        if options.seed is not None or not chosen.derandomize:  # both passes must draw alike: fix the seed
            seed = options.seed if options.seed is not None else random.getrandbits(64)
            self.test = hypothesis_seed(seed)(self.test)

    def one_request(self, case: Case) -> None:
        if not self.replaying:
            self.drawn.append(case)
            return
        judged = self.verdicts.get(_key(case))
        if judged is None and _key(case) in self.unsent:
            return
        if judged is None:
            try:
                judged = next(self.state.execute([case]))
            except Unreachable as exc:
                raise _Stop(exc) from None
            if judged is None:
                raise _TimeUp
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
        self.unsent = {_key(case) for case in self.drawn} - set(self.verdicts)

    def judged(self, case: Case, judged: Judged) -> None:
        self.record.run += 1
        self.verdicts.setdefault(_key(case), judged)
        self.failed = self.failed or bool(judged.violations)

    def shrink(self) -> None:
        self.replaying = True
        outcome, ctx = self.state.outcome, self.state.ctx
        try:
            self.test()
        except ContractViolation as violation:
            _record_final(outcome, ctx, [violation])
        except BaseExceptionGroup as group:  # several failures, or one and the end of the run (time, server)
            leaves = list(_leaves(group))
            _record_final(outcome, ctx, [leaf for leaf in leaves if isinstance(leaf, ContractViolation)])
            ending = next((leaf for leaf in leaves if isinstance(leaf, _Stop | _TimeUp)), None)
            if ending is not None:
                raise ending from None
            if not all(isinstance(leaf, ContractViolation) for leaf in leaves):
                raise


def _key(case: Case) -> tuple[Any, ...]:
    """What makes two generated cases the same request."""
    return case.kind, case.query, case.invalid


def _traffic(ctx: Context) -> Traffic:
    transport = ctx.transport
    return transport.traffic if isinstance(transport, PoliteTransport) else Traffic()


def _judge(ctx: Context, case: Case, checks: Sequence[Check]) -> Judged:
    """Send one request and run every applicable check on it; the violations are tagged with the case."""
    response = ctx.send(case)
    return judge_response(ctx, case, response, checks)


def judge_response(ctx: Context, case: Case, response: Response, checks: Sequence[Check]) -> Judged:
    """Run every applicable check on one answer (sent by the kit or seen by the proxy); tag violations with it."""
    judged = Judged(case)
    for check in checks:
        if not _applies(ctx, check, case, response):
            continue
        try:
            verdict = check.run(ctx, case, response)
        except ContractViolation as violation:
            violation.check, violation.case, violation.response = check.name, case, response
            judged.violations.append((check.name, violation))
        else:
            if verdict is not NOT_JUDGED:
                judged.passed.append(check.name)
    return judged


def _applies(ctx: Context, check: Check, case: Case, response: Response) -> bool:
    return case.kind in check.kinds and (not check.needs_page or ctx.items(response) is not None)


def _record(outcome: Outcome, ctx: Context, case: Case, violations: Iterable[tuple[str, ContractViolation]]) -> None:
    for name, violation in violations:
        outcome.failures.append(Failure(name, violation, ctx.url(case.query), case.credentials))


def _record_final(outcome: Outcome, ctx: Context, violations: Iterable[ContractViolation]) -> None:
    """Keep one failure per check and kind of violation: the simplest request found in any area.

    Each area shrinks within itself, and an area whose focus is ``generalField`` always sends one; the
    same violation found by another area with fewer parameters is the better reproduction.
    """
    for violation in violations:
        name, case = violation.check, violation.case
        failure = Failure(name, violation, ctx.url(case.query), case.credentials)
        same = [index for index, known in enumerate(outcome.failures) if _same_finding(known, failure)]
        if not same:
            outcome.failures.append(failure)
        elif _simplicity(failure) < _simplicity(outcome.failures[same[0]]):
            outcome.failures[same[0]] = failure


def _same_finding(first: Failure, second: Failure) -> bool:
    return first.check == second.check and type(first.violation) is type(second.violation)


def _simplicity(failure: Failure) -> tuple[int, int]:
    """Fewer query parameters first, then a shorter URL."""
    case = failure.violation.case
    return (len(case.query) if case is not None else 0), len(failure.url)


def _leaves(group: BaseExceptionGroup[Any]) -> Iterator[BaseException]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


def _kinds(checks: Sequence[Check], rejects_invalid_keys: bool) -> set[Kind]:
    """The kinds of request the selected checks judge (wrong keys only where the server restricts keys)."""
    wanted = {kind for check in checks for kind in check.kinds}
    if not rejects_invalid_keys:
        wanted.discard("wrong_key")
    if not wanted:
        raise KitError("no selected check judges any request")
    return {kind for kind in KINDS if kind in wanted}


def _smoke_cases(kinds: set[Kind]) -> list[Case]:
    """Requests every run sends first, so the basics are checked even with very few examples."""
    return [Case(kind) for kind in ("valid", "no_key", "wrong_key") if kind in kinds]


def _settings(options: Options) -> settings:
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
