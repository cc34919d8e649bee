"""Where filters meet: the filters of one request hold together (AND), with its sort and its page.

A query builder that keeps one condition per field, ORs a search with a dropdown, or drops a filter when a
sort is added goes wrong only where parameters meet. Two witnesses judge it without a copy of the data:
sampled items that meet every filter of the request but one (near misses) are asked for by id with all the
filters and must not come back, while those meeting all must, in the spec's order (``combined_witnesses``);
and a sampled item meeting every filter that sorts inside the answered page must be on it (``combined_window``,
no request of its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.meaning import shown, written
from contract_tests.judging.checks.signatures import identified, varied
from contract_tests.judging.checks.variants import identity_rule, max_ids, restricted
from contract_tests.judging.context import Context
from contract_tests.judging.failures import IncompleteResult, WitnessViolation, id_texts
from contract_tests.judging.oracle import checkable, is_ordered, order, satisfies, satisfies_all
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.terms import Condition
from customers_spec.values import get_path


def met(record: dict[str, Any], conditions: Sequence[Condition]) -> tuple[bool, ...]:
    """Which of the conditions a record satisfies, one flag each."""
    return tuple(satisfies(record, condition) for condition in conditions)


def near_misses_first(records: Sequence[dict[str, Any]], conditions: Sequence[Condition], limit: int) -> list[dict]:
    """Up to ``limit`` records, varied by which filters they meet: those meeting all, or all but one, first."""
    flags = [met(record, conditions) for record in records]
    rank = [0 if sum(each) >= len(conditions) - 1 else 1 for each in flags]
    ordered = sorted(range(len(records)), key=rank.__getitem__)  # stable: the sample's order within a rank
    return varied([records[i] for i in ordered], [flags[i] for i in ordered], limit)


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def combined_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Sampled items meeting every filter of a request but one are not found with all of them, and those
    meeting all are, in the requested order: filters combine with AND whatever else the request carries."""
    rule = identity_rule(ctx.spec)
    conditions = [c for c in case.conditions if rule and c.parameter != rule.parameter and checkable(c) and c.terms]
    if rule is None or len(conditions) < 2:
        return NOT_JUDGED
    chosen = near_misses_first(identified(ctx, rule), conditions, max_ids(ctx.spec, rule))
    if not any(sum(met(record, conditions)) >= len(conditions) - 1 for record in chosen):
        return NOT_JUDGED  # no sampled item where the filters meet: nothing here tells AND from OR
    path = rule.clauses[0].path
    probe = restricted(ctx, case, [get_path(record, path) for record in chosen], rule, conditions)
    answer = ctx.send(probe)
    items = ctx.items(answer)
    if items is None:
        raise WitnessViolation("200 with a valid page", f"status {answer.status}", requests=(answer.url,))
    keys = ctx.spec.sort.ordered_by(case.sort)
    expected = [get_path(record, path) for record in order(_meeting_all(chosen, conditions), keys, spec=ctx.spec)]
    got = [get_path(item, path) for item in items]
    if got != expected:
        raise WitnessViolation(
            f"{len(expected)} of {len(chosen)} sampled items, those meeting {_all(probe, conditions)},"
            f" in the order {ctx.spec.sort.grammar.write(keys)}",
            _difference(got, expected, chosen, conditions, probe, path),
            requests=(answer.url,),
            about=_named(got, expected),
            witnesses=id_texts(get_path(record, path) for record in chosen),
        )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def combined_window(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A sampled item that meets every filter and sorts between the first and the last item of the page is on
    the page (no request of its own: the page and the sample say it). It compares the page with the sample read
    earlier, so it is confirmed as checks that ask twice are (``follow_ups``): on a living staging the sampled
    item may have changed in between."""
    rule = identity_rule(ctx.spec)
    items = ctx.items(response) or []
    conditions = [c for c in case.conditions if checkable(c)]
    if rule is None or len(conditions) < 2 or len(items) < 2 or len(conditions) != len(case.conditions):
        return NOT_JUDGED
    if not identified(ctx, rule):
        return NOT_JUDGED  # no sample (the proxy reads none): nothing to find on the page
    keys = ctx.spec.sort.ordered_by(case.sort)
    if not is_ordered(items, keys, spec=ctx.spec):
        return NOT_JUDGED  # sort_order says why
    path = rule.clauses[0].path
    on_page = {get_path(item, path) for item in items}
    candidates = [
        record for record in _meeting_all(identified(ctx, rule), conditions) if get_path(record, path) not in on_page
    ]
    merged = order([*items, *candidates], keys, spec=ctx.spec)
    first, last = (
        next(i for i, each in enumerate(merged) if get_path(each, path) == get_path(items[e], path)) for e in (0, -1)
    )
    inside = [each for each in merged[first:last] if get_path(each, path) not in on_page]
    if inside:
        paths = [key.path for key in keys]
        raise IncompleteResult(
            f"{shown(inside[0], paths, ctx.spec.collection.id_field)} on the page, as it meets"
            f" {_all(case, conditions)} and sorts between"
            f" its first and last item",
            f"a page of {len(items)} items without it",
            about=id_texts([get_path(inside[0], path)]),
            witnesses=id_texts(get_path(item, path) for item in (items[0], items[-1])),
        )
    return None


def _named(got: list[Any], expected: list[Any]) -> tuple[str, ...]:
    """The items a disagreement names: those found but not expected and expected but not found, else the two
    at the first place where the order differs."""
    different = [each for each in got if each not in expected] + [each for each in expected if each not in got]
    if not different:
        index = next((i for i, pair in enumerate(zip(got, expected, strict=False)) if pair[0] != pair[1]), 0)
        different = [*got[index : index + 1], *expected[index : index + 1]]
    return id_texts(different)


def _meeting_all(records: Sequence[dict[str, Any]], conditions: Sequence[Condition]) -> list[dict[str, Any]]:
    return [record for record in records if satisfies_all(record, conditions)]


def _all(case: Case, conditions: Sequence[Condition]) -> str:
    return " and ".join(written(case, condition) for condition in conditions)


def _difference(
    got: list[Any],
    expected: list[Any],
    chosen: Sequence[dict[str, Any]],
    conditions: Sequence[Condition],
    case: Case,
    path: str,
) -> str:
    """What came instead: an item meeting one filter and not another, one missing, or the order."""
    by_id = {get_path(record, path): record for record in chosen}
    paths = [term.clause.path for condition in conditions for term in condition.terms]
    extra = [each for each in got if each not in expected]
    if extra and extra[0] in by_id:
        record = by_id[extra[0]]
        failed = next(c for c in conditions if not satisfies(record, c))
        return f"{shown(record, paths, path)}, which does not meet {written(case, failed)}"
    missing = [each for each in expected if each not in got]
    if missing:
        return f"{len(got)} items without {shown(by_id[missing[0]], paths, path)}"
    return f"{len(got)} items in another order: {', '.join(map(str, got[:5]))}"
