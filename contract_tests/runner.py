"""Runs the checks on generated requests with Hypothesis, which shrinks every failing request to a minimal one.

The runner is what the CLI and the pytest plugin share: build a ``Context`` (reads a data sample), then
``run`` the selected checks. Each distinct violation is reported once, with the shrunk request that causes
it. A server that stops answering ends the run as "could not test", never as a traceback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy

from contract_tests.cases import KINDS, Case, Credentials, Kind
from contract_tests.context import Context
from contract_tests.failures import ContractViolation, Unreachable
from contract_tests.profiles import DEFAULT_PROFILE
from contract_tests.registry import NOT_JUDGED, Check
from contract_tests.strategies import areas
from contract_tests.transport import Response
from customers_spec.errors import KitError


@dataclass(frozen=True)
class Options:
    """How much to generate and how: every field has a default, so callers name only what they change."""

    max_examples: int = 100
    seed: int | None = None
    profile: str = DEFAULT_PROFILE
    shrink: bool = True  # False: no minimizing; every example runs and each check's first failure is kept as found


@dataclass(frozen=True)
class Failure:
    """One distinct violation with the (shrunk) request that shows it."""

    check: str
    violation: ContractViolation
    url: str
    credentials: Credentials


@dataclass
class Outcome:
    """What a run found: per-check counts, distinct failures, and why testing stopped early if it did."""

    checks: tuple[str, ...] = ()
    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    examples: int = 0
    error: str | None = None

    @property
    def exit_code(self) -> int:
        """0: conforms; 1: violations found; 2: could not test."""
        if self.error is not None:
            return 2
        return 1 if self.failures else 0


class _Stop(BaseException):
    """Raised inside the Hypothesis test when the server is unreachable, so Hypothesis neither retries nor shrinks."""

    def __init__(self, reason: Unreachable) -> None:
        super().__init__(str(reason))
        self.reason = reason


def run(ctx: Context, checks: Sequence[Check], options: Options = Options()) -> Outcome:
    """Check smoke requests, then ``options.max_examples`` generated ones; never raises for the server's sake."""
    outcome = Outcome(checks=tuple(check.name for check in checks))
    kinds = _kinds(checks, ctx.rejects_invalid_keys)
    try:
        for case in _smoke_cases(kinds):
            _record(outcome, ctx, *_judge(ctx, case, checks, outcome))
        _explore(ctx, checks, options, kinds, outcome)
    except _Stop as stop:
        outcome.error = str(stop.reason)
    except Unreachable as exc:
        outcome.error = str(exc)
    return outcome


def _explore(ctx: Context, checks: Sequence[Check], options: Options, kinds: set[Kind], outcome: Outcome) -> None:
    """Split the examples between the areas of the spec (``strategies.areas``) and explore each."""
    parts = areas(ctx.spec, sample=ctx.sample, kinds=kinds)
    for area, examples in zip(parts, shares(options.max_examples, [area.weight for area in parts]), strict=True):
        if examples:
            _explore_area(ctx, checks, replace(options, max_examples=examples), area.strategy, outcome)


def shares(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders first), summing to ``total`` exactly."""
    exact = [total * weight / sum(weights) for weight in weights]
    result = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda index: result[index] - exact[index])
    for index in by_remainder[: total - sum(result)]:
        result[index] += 1
    return result


def _explore_area(
    ctx: Context, checks: Sequence[Check], options: Options, strategy: SearchStrategy[Case], outcome: Outcome
) -> None:
    def one_request(case: Case) -> None:
        try:
            _, violations = _judge(ctx, case, checks, outcome)
        except Unreachable as exc:
            raise _Stop(exc) from None
        if not options.shrink:
            _record_final(outcome, ctx, [violation for _, violation in violations])
        elif violations:
            raise violations[0][1]

    test = given(case=strategy)(one_request)
    test = settings(_settings(options))(test)
    if options.seed is not None:
        test = hypothesis_seed(options.seed)(test)
    try:
        test()
    except Unsatisfiable:
        return  # the data leaves this area nothing valid to send (e.g. no values at all); the others still run
    except ContractViolation as violation:
        _record_final(outcome, ctx, [violation])
    except BaseExceptionGroup as group:
        violations = _violations_in(group)
        if len(violations) < _count_leaves(group):
            raise
        _record_final(outcome, ctx, violations)


def _judge(
    ctx: Context, case: Case, checks: Sequence[Check], outcome: Outcome
) -> tuple[Case, list[tuple[str, ContractViolation]]]:
    """Send one request and run every applicable check on it; the violations are tagged with the case."""
    ctx.forget()
    outcome.examples += 1
    response = ctx.send(case)
    return case, judge_response(ctx, case, response, checks, outcome)


def judge_response(
    ctx: Context, case: Case, response: Response, checks: Sequence[Check], outcome: Outcome
) -> list[tuple[str, ContractViolation]]:
    """Run every applicable check on one answer (sent by the kit or seen by the proxy), counting in ``outcome``."""
    violations: list[tuple[str, ContractViolation]] = []
    for check in checks:
        if not _applies(ctx, check, case, response):
            continue
        try:
            verdict = check.run(ctx, case, response)
        except ContractViolation as violation:
            violation.check, violation.case, violation.response = check.name, case, response
            violations.append((check.name, violation))
            outcome.failed[check.name] += 1
        else:
            if verdict is not NOT_JUDGED:
                outcome.passed[check.name] += 1
    return violations


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


def _violations_in(group: BaseExceptionGroup[Any]) -> list[ContractViolation]:
    found: list[ContractViolation] = []
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            found.extend(_violations_in(exc))
        elif isinstance(exc, ContractViolation):
            found.append(exc)
    return found


def _count_leaves(group: BaseExceptionGroup[Any]) -> int:
    return sum(_count_leaves(exc) if isinstance(exc, BaseExceptionGroup) else 1 for exc in group.exceptions)


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
