"""Meaning, decided by the oracle: items satisfy the filters, results are complete, in order, sized by limit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import (
    FilterViolation,
    IncompleteResult,
    NotDeterministic,
    OrderViolation,
    PageSizeViolation,
    id_texts,
)
from contract_tests.judging.oracle import checkable, misordered_at, satisfies, satisfies_all
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.model import SortKey
from customers_spec.terms import Condition
from customers_spec.values import get_path
from customers_spec.wire import base_name


def written(case: Case, condition: Condition) -> str:
    """The query pairs that carry a condition, as the request wrote them (``name=abc``)."""
    return "&".join(f"{key}={value}" for key, value in case.query if base_name(key) == condition.parameter)


def shown(item: dict[str, Any], paths: Sequence[str], id_field: str) -> str:
    """An item by its id (``id_field``, the collection's) and the values at ``paths``, for messages."""
    values = ", ".join(f"{path}={get_path(item, path)!r}" for path in dict.fromkeys(paths))
    return f"item {item.get(id_field)} ({values})"


@check(kinds=["valid"], needs_page=True)
def filters_hold(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Every returned item satisfies every filter of the request that a client can decide (all but relations)."""
    decidable = [condition for condition in case.conditions if checkable(condition)]
    items = ctx.items(response) or []
    if not decidable or not items:
        return NOT_JUDGED
    for index, item in enumerate(items):
        for condition in decidable:
            if not satisfies(item, condition):
                paths = [term.clause.path for term in condition.terms]
                raise FilterViolation(
                    f"only items with {written(case, condition)}",
                    shown(item, paths, ctx.spec.collection.id_field),
                    f"$[{index}]",
                )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def filters_complete(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Every item of the unfiltered data that satisfies the filters is in the filtered result (small data only)."""
    if ctx.everything is None or not case.conditions or not all(map(checkable, case.conditions)):
        return NOT_JUDGED
    result = ctx.collect(case, IncompleteResult)
    if result is None:
        return NOT_JUDGED
    id_field = ctx.spec.collection.id_field
    found = {item.get(id_field) for item in result}
    for item in ctx.everything:
        if item.get(id_field) not in found and satisfies_all(item, case.conditions):
            paths = [term.clause.path for condition in case.conditions for term in condition.terms]
            filters = " and ".join(written(case, condition) for condition in case.conditions)
            raise IncompleteResult(
                f"{shown(item, paths, ctx.spec.collection.id_field)} in the result, as it satisfies {filters}",
                f"a result of {len(result)} items without it",
                about=id_texts([item.get(id_field)]),
            )
    return None


@check(kinds=["valid"], needs_page=True)
def page_size(ctx: Context, case: Case, response: Response) -> None:
    """A page holds ``limit`` items, fewer only at the end of the result (as X-Total-Count and offset say)."""
    items = ctx.items(response) or []
    limit, offset, total = ctx.limit(case), ctx.offset(case), ctx.total(response)
    if len(items) > limit:
        raise PageSizeViolation(f"at most limit={limit} items", f"{len(items)} items")
    if total is not None:
        expected = max(0, min(limit, total - offset))
        if len(items) != expected:
            raise PageSizeViolation(
                f"{expected} items (X-Total-Count {total}, offset {offset}, limit {limit})", f"{len(items)} items"
            )


@check(kinds=["valid"], needs_page=True)
def sort_order(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Items follow the requested sort keys, missing values lowest, ties broken by the tie-breaker (the id)."""
    items = ctx.items(response) or []
    if len(items) < 2:
        return NOT_JUDGED
    keys: tuple[SortKey, ...] = ctx.spec.sort.ordered_by(case.sort)
    index = misordered_at(items, keys, spec=ctx.spec)
    if index is not None:
        paths = [key.path for key in keys]
        raise OrderViolation(
            f"order {ctx.spec.sort.grammar.write(keys)}",
            f"{shown(items[index], paths, ctx.spec.collection.id_field)}"
            f" before {shown(items[index + 1], paths, ctx.spec.collection.id_field)}",
            f"$[{index + 1}]",
        )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def deterministic(ctx: Context, case: Case, response: Response) -> None:
    """The same request sent again gets the same status, items and paging headers."""
    again = ctx.send(case)
    names = ctx.spec.pagination
    pairs = [
        ("status", response.status, again.status),
        ("items", ctx.items(response), ctx.items(again)),
        (names.total_header, response.header(names.total_header), again.header(names.total_header)),
        (names.link_header, response.header(names.link_header), again.header(names.link_header)),
    ]
    for what, first, second in pairs:
        if first != second:
            id_field = ctx.spec.collection.id_field
            about = differing(ctx.items(response) or [], ctx.items(again) or [], id_field)
            raise NotDeterministic(f"the same {what} as the first time", _brief(second, id_field), "$", about=about)


def differing(first: Sequence[dict[str, Any]], second: Sequence[dict[str, Any]], id_field: str) -> tuple[str, ...]:
    """The ids of the items two answers disagree on: those in one only or changed, else the two at the first
    place where the order differs (what confirmation reads again by id)."""
    by_id = {item.get(id_field): item for item in second}
    changed = [item.get(id_field) for item in first if by_id.get(item.get(id_field)) != item]
    changed += [each for each in by_id if each not in {item.get(id_field) for item in first}]
    if not changed:
        index = next((i for i, pair in enumerate(zip(first, second, strict=False)) if pair[0] != pair[1]), 0)
        changed = [item.get(id_field) for item in (*first[index : index + 1], *second[index : index + 1])]
    return id_texts(changed)


def _brief(value: object, id_field: str) -> str:
    if isinstance(value, list):
        return f"{len(value)} items: " + ", ".join(str(item.get(id_field)) for item in value[:5])
    return repr(value)
