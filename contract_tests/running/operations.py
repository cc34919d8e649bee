"""A run over every operation the spec declares (``customers_spec.Api``), each judged by the checks that judge
its kind, each with its own outcome, summed into one for the verdict.

Lists (of any collection) are run first, with today's machinery, one after the other: the item operations
and sub-collections judge by their data (the customer by id is the list's item). Then sub-collections (today's
machinery bound to one parent, see ``targets``), items by id, and the operations the tools give no meaning
to (shape only). ``--max-examples`` is per operation, as Schemathesis counts it; ``--max-time`` and
``--max-failures`` hold for the whole run. The outcomes come back in the spec's order.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.variants import identity_rule
from contract_tests.judging.context import Context
from contract_tests.judging.registry import Check, Role
from contract_tests.running import targets
from contract_tests.running.findings import record_found
from contract_tests.running.pool import ExamplePool, TimeUp, traffic
from contract_tests.running.progress import Progress
from contract_tests.running.records import Options, Outcome
from contract_tests.running.runner import run, with_seed
from contract_tests.running.setup import loaded_context
from customers_spec.api import Api, Operation
from customers_spec.errors import KitError, Unreachable
from customers_spec.model import Spec

PHASES: dict[str, int] = {"list": 0, "sub": 1, "item": 2, "other": 3}
WITNESS_NOTE = (
    "has no filter selecting items by their id ('in' on {id}), which the witness checks ask sampled items by:"
    " {checks} not judged"
)
WITNESS_CHECKS = ("filter_witnesses", "operator_witnesses", "sort_witnesses", "clause_witnesses", "combined_witnesses")


@dataclass(frozen=True)
class Planned:
    """One operation of the run with the checks that judge it."""

    operation: Operation
    roles: frozenset[Role]
    checks: tuple[Check, ...]


def plan(api: Api, checks: Sequence[Check]) -> list[Planned]:
    """Every operation of ``api`` with the checks of ``checks`` that judge its kind, in the spec's order."""
    planned = []
    for operation in api.operations:
        roles = targets.roles_of(api, operation)
        planned.append(Planned(operation, roles, tuple(check for check in checks if check.judges(roles))))
    return planned


def run_api(
    api: Api,
    first: Context,
    checks: Sequence[Check],
    options: Options | None = None,
    *,
    operations: Sequence[Operation] | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """Check ``operations`` of ``api`` (all when None) with those of ``checks`` that judge each (an operation no
    selected check judges is left out); ``first`` is the loaded context of the API's first list."""
    options = with_seed(options or Options())
    chosen = {id(each) for each in (operations if operations is not None else api.operations)}
    started, started_at = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    lists: dict[int, Context | KitError] = {}  # by index in ``api.lists``: read so far (opened on demand)
    related_read: set[int] = set()

    def list_context(index: int) -> Context:
        """The list's loaded context; a list that cannot be read fails each operation that needs it, once."""
        if index not in lists:
            spec = api.lists[index]
            try:
                lists[index] = (
                    first
                    if spec is first.spec
                    else loaded_context(spec, first.transport, **targets.sibling(first, spec))
                )
            except KitError as exc:
                lists[index] = exc
        found = lists[index]
        if isinstance(found, KitError):
            raise KitError(f"{api.lists[index].method.upper()} {api.lists[index].path}: {found}")
        if index not in related_read:
            related_read.add(index)
            _read_related(api, found, list_context)
        return found

    planned_all = [each for each in plan(api, checks) if id(each.operation) in chosen and each.checks]
    if not planned_all:
        raise KitError("no selected check judges any of the selected operations")
    parts: dict[int, Outcome] = {}
    for planned in sorted(planned_all, key=_phase):
        left = _left(options, started, sum(len(part.failures) for part in parts.values()))
        if left is None:
            parts[id(planned.operation)] = Outcome(
                checks=tuple(check.name for check in planned.checks),
                operation=planned.operation.label,
                stopped="the run's time or failure limit was reached before this operation",
            )
            continue
        try:
            outcome = _run_one(api, planned, list_context, first, left, progress)
        except KitError as exc:  # this operation could not be tested (e.g. the staging does not serve it yet)
            outcome = Outcome(checks=tuple(check.name for check in planned.checks), error=str(exc))
        if outcome.stopped and left.max_time is not None and options.max_time is not None:  # the run's limit
            outcome.stopped = outcome.stopped.replace(f"of {left.max_time:g} s", f"of {options.max_time:g} s")
        outcome.operation = planned.operation.label
        outcome.started_at = outcome.started_at or started_at
        outcome.spec_version = outcome.spec_version or str(api.document.get("info", {}).get("version", ""))
        outcome.failures = [replace(failure, operation=outcome.operation) for failure in outcome.failures]
        parts[id(planned.operation)] = outcome
    ordered = [parts[id(each.operation)] for each in planned_all]
    total = combined(ordered)
    total.traffic = traffic(first)
    total.seconds = time.monotonic() - started
    return total


def _read_related(api: Api, ctx: Context, list_context: Callable[[int], Context]) -> None:
    """Relation filters through a collection the spec lists (``customerHasAssignedObjectManager`` through the
    sites): when no dataset gave its records (``--data``), the ids are read from that list, so the filters are
    asked with ids that exist. The list's sample is read again with them."""
    if ctx.related is not None:
        return
    wanted = {clause.via.collection for rule in ctx.spec.filters.values() for clause in rule.clauses if clause.via}
    records: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(wanted):
        index = next((i for i, each in enumerate(api.lists) if each.collection.name == name and not each.parent), None)
        if index is None or api.lists[index] is ctx.spec:
            continue
        with contextlib.suppress(KitError):  # a list that cannot be read gives no ids: the gap says so
            other = list_context(index)
            records[name] = list(other.everything or other.sample.records)
    if records:
        ctx.load_sample(records)


def _phase(planned: Planned) -> int:
    """Lists first (the others judge by their data), then sub-collections, items, the rest."""
    return max(PHASES[role] for role in planned.roles)


def _index(api: Api, spec: Spec) -> int:
    return next(index for index, each in enumerate(api.lists) if each is spec)


def _left(options: Options, started: float, failures: int) -> Options | None:
    """The options for the next operation: the time and failures left of the run's (None: none left)."""
    max_time = options.max_time
    if max_time is not None:
        max_time -= time.monotonic() - started
        if max_time <= 0:
            return None
    max_failures = options.max_failures
    if max_failures is not None:
        max_failures -= failures
        if max_failures <= 0:
            return None
    return replace(options, max_time=max_time, max_failures=max_failures)


def _run_one(
    api: Api,
    planned: Planned,
    list_context: Callable[[int], Context],
    first: Context,
    options: Options,
    progress: Callable[[Progress], None] | None,
) -> Outcome:
    operation, roles, checks = planned.operation, planned.roles, planned.checks
    spec = api.list_of(operation)
    if spec is not None and spec.parent is None:
        ctx = list_context(_index(api, spec))
        outcome = run(ctx, checks, options, progress=progress)
        outcome.gaps += _witness_gap(operation, spec, checks)
        return outcome
    if spec is not None:
        lists = {}
        for index, each in enumerate(api.lists):
            with contextlib.suppress(KitError):  # a list that cannot be read: compared with nothing (a gap says)
                if each.parent is None:
                    lists[index] = list_context(index)
        target = targets.subcollection(api, spec, operation, lists, first, options.seed)
        if target.ctx is None:
            return Outcome(checks=tuple(check.name for check in checks), gaps=target.gaps)
        outcome = run(target.ctx, checks, options, progress=progress)
        sub_only = [check for check in checks if "sub" in check.on]
        _execute(target.ctx, sub_only, options, outcome, target.cases, progress)
        outcome.gaps += target.gaps + _witness_gap(operation, spec, checks)
        return outcome
    item = api.item_of(operation)
    if item is not None:
        lister = list_context(_index(api, item.list)) if item.list is not None else None
        target = targets.item(item, lister, first, roles, options.seed, options.max_examples)
    else:
        target = targets.other(operation, first, roles)
    outcome = Outcome(checks=tuple(check.name for check in checks), seed=options.seed, gaps=list(target.gaps))
    if target.ctx is not None:
        _execute(target.ctx, checks, options, outcome, target.cases, progress)
    return outcome


def _witness_gap(operation: Operation, spec: Spec, checks: Sequence[Check]) -> list[str]:
    """Why the witness checks judged nothing on a list without a filter on the id (none when it has one)."""
    names = [check.name for check in checks if check.name in WITNESS_CHECKS]
    if identity_rule(spec) is not None or not names:
        return []
    return [f"{operation.key} {WITNESS_NOTE.format(id=spec.collection.id_field, checks=', '.join(names))}"]


def _execute(
    ctx: Context,
    checks: Sequence[Check],
    options: Options,
    outcome: Outcome,
    cases: Sequence[Case],
    progress: Callable[[Progress], None] | None,
) -> None:
    """Send and judge ``cases`` as found (ids are not shrunk: each is one value), counting into ``outcome``."""
    pool = ExamplePool(ctx, checks, options, outcome, progress)
    pool.area = outcome.operation or "operation"
    started = time.monotonic()
    try:
        for judged in pool.execute(cases):
            if judged is None:
                raise TimeUp
            record_found(outcome, ctx, judged.case, judged.violations)
    except Unreachable as exc:
        outcome.error = str(exc)
    except TimeUp:
        outcome.stopped = f"the time limit of {options.max_time:g} s was reached"
    finally:
        pool.close()
        outcome.seconds += time.monotonic() - started


def combined(parts: Sequence[Outcome]) -> Outcome:
    """The outcomes of several operations as one (counts summed, failures in order), each kept for its table;
    one outcome alone is itself."""
    if len(parts) == 1:
        return parts[0]
    total = Outcome(per_operation=list(parts))
    for part in parts:
        total.checks += tuple(name for name in part.checks if name not in total.checks)
        for mine, theirs in (
            (total.passed, part.passed),
            (total.failed, part.failed),
            (total.settled, part.settled),
            (total.unsettled, part.unsettled),
            (total.combined, part.combined),
        ):
            mine.update(theirs)
        total.failures += part.failures
        total.examples += part.examples
        total.error = total.error or (f"{part.operation}: {part.error}" if part.error else None)
        total.stopped = total.stopped or (f"{part.operation}: {part.stopped}" if part.stopped else None)
        total.areas += [replace(area, name=f"{part.operation}: {area.name}") for area in part.areas]
        total.gaps += [f"{part.operation}: {gap}" for gap in part.gaps]
        total.minimizing.failures += part.minimizing.failures
        total.minimizing.examples += part.minimizing.examples
        total.minimizing.requests += part.minimizing.requests
        total.minimizing.seconds += part.minimizing.seconds
    first = parts[0] if parts else Outcome()
    total.seed, total.started_at, total.spec_version = first.seed, first.started_at, first.spec_version
    return total
