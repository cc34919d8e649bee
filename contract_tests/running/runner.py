"""Runs the checks on generated requests with Hypothesis, which shrinks every failing request to a minimal one.

The runner is what the CLI and the pytest plugin share: build a ``Context`` (reads a data sample), then
``run`` the selected checks. Each distinct violation is reported once, with the shrunk request that causes
it. A server that stops answering ends the run as "could not test", never as a traceback.

Concurrency (``Options.workers``) is confined to sending: Hypothesis draws each area's examples in one thread,
a pool sends them and runs their checks, and shrinking runs serially again (see ``Explorer``), so a seeded
run sends the same requests and reaches the same verdicts with any number of workers.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import settings

from contract_tests.generation.areas import areas
from contract_tests.generation.cases import KINDS, Case, Kind
from contract_tests.generation.coverage import AreaRun, area_gaps, combination, data_gaps
from contract_tests.judging.context import Context
from contract_tests.judging.operations import subject_of
from contract_tests.judging.registry import Check, Role
from contract_tests.running.explorer import Explorer
from contract_tests.running.findings import record_final, record_found
from contract_tests.running.minimizing import MinimizingBudget
from contract_tests.running.pool import ExamplePool, Stop, TimeUp, traffic
from contract_tests.running.progress import Progress
from contract_tests.running.records import Options, Outcome
from customers_spec.errors import KitError, Unreachable


def run(
    ctx: Context,
    checks: Sequence[Check],
    options: Options | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """Check smoke requests, then ``options.max_examples`` generated ones; never raises for the server's sake."""
    options = with_seed(options or Options())
    subject = subject_of(ctx)
    roles: frozenset[Role] = subject.roles if subject is not None else frozenset({"list"})
    checks = [check for check in checks if check.judges(roles)]  # an item's checks judge no list
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    outcome = Outcome(checks=tuple(check.name for check in checks), seed=options.seed, started_at=started_at)
    outcome.spec_version = str(ctx.spec.document.get("info", {}).get("version", ""))
    kinds = _kinds(checks, ctx.rejects_invalid_keys, keyed=bool(ctx.spec.api_key_header))
    outcome.gaps = data_gaps(ctx.spec, ctx.sample, kinds)
    state = ExamplePool(ctx, checks, options, outcome, progress)
    ctx.confirming.start()
    smoke = _smoke_cases(kinds)
    state.smoke = len(smoke)
    try:
        for judged in state.execute(smoke):
            if judged is not None:
                record_found(outcome, ctx, judged.case, judged.violations)
        if state.has_enough_failures():
            outcome.stopped = _enough(options)
        else:
            _explore(state, kinds)
    except Stop as stop:
        outcome.error = str(stop.reason)
    except Unreachable as exc:
        outcome.error = str(exc)
    except TimeUp:
        outcome.stopped = f"the time limit of {options.max_time:g} s was reached"
    finally:
        state.close()
        outcome.traffic = traffic(ctx)
        outcome.seconds = time.monotonic() - state.started
        outcome.confirming = ctx.confirming.record
        outcome.gaps += area_gaps(outcome.areas)
    return outcome


def _explore(state: ExamplePool, kinds: set[Kind]) -> None:
    """Split the examples between the areas of the spec (``generation.areas``), draw them all, send them all
    (one pool for every area, so even small areas keep the workers busy), then shrink each area's failures."""
    ctx, options, outcome = state.ctx, state.options, state.outcome
    parts = areas(ctx.spec, sample=ctx.sample, kinds=kinds)
    planned = shares(options.max_examples, [area.weight for area in parts])
    outcome.areas = [AreaRun(area.name, examples) for area, examples in zip(parts, planned, strict=True)]
    explorers = [
        Explorer(state, area.strategy, record)
        for area, record in zip(parts, outcome.areas, strict=True)
        if record.planned
    ]
    for explorer in explorers:
        explorer.draw()
    drawn = [(explorer, case) for explorer in explorers for case in explorer.drawn]
    for (explorer, case), judged in zip(drawn, state.execute([case for _, case in drawn]), strict=True):
        if judged is None:
            raise TimeUp  # what was found is kept as found, unshrunk: there is no time left to shrink
        state.area = explorer.record.name
        explorer.judged(case, judged)
        combined = combination(ctx.spec, case)
        if combined is not None:
            outcome.combined[combined] += 1
        record_final(outcome, ctx, [violation for _, violation in judged.violations])
        if state.has_enough_failures():
            outcome.stopped = _enough(options)
            for explorer in explorers:
                explorer.leave_unsent()
            break
    if options.shrink and any(explorer.failed for explorer in explorers):
        _minimize(state, [explorer for explorer in explorers if explorer.failed])


def _minimize(state: ExamplePool, explorers: list[Explorer]) -> None:
    """Shrink each area's failures within one budget (``minimizing``), timing it and counting what it sent."""
    record = state.outcome.minimizing
    budget = MinimizingBudget(state.options, record, time.monotonic() - state.started)
    sent = traffic(state.ctx).requests
    try:
        for explorer in explorers:
            state.area = f"minimizing in {explorer.record.name}"
            explorer.shrink(budget)
    finally:
        budget.finish()
        record.requests = traffic(state.ctx).requests - sent


def with_seed(options: Options) -> Options:
    """``options`` with a seed: the one given, else one drawn now, so that every run can be repeated; none for a
    derandomized profile (``ci``), whose requests are the same every run anyway."""
    if options.seed is not None or settings.get_profile(options.profile).derandomize:
        return options
    return replace(options, seed=secrets.randbelow(2**32))


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


def _kinds(checks: Sequence[Check], rejects_invalid_keys: bool, *, keyed: bool = True) -> set[Kind]:
    """The kinds of request the selected checks judge (wrong keys only where the server restricts keys; no
    request without a key where the spec asks for none)."""
    wanted = {kind for check in checks for kind in check.kinds}
    if not keyed:
        wanted -= {"no_key", "wrong_key"}
    if not rejects_invalid_keys:
        wanted.discard("wrong_key")
    wanted.discard("unknown")  # a list's requests are never for a record that does not exist
    if not wanted:
        raise KitError("no selected check judges any request")
    return {kind for kind in KINDS if kind in wanted}


def _smoke_cases(kinds: set[Kind]) -> list[Case]:
    """Requests every run sends first, so the basics are checked even with very few examples."""
    return [Case(kind) for kind in ("valid", "no_key", "wrong_key") if kind in kinds]
