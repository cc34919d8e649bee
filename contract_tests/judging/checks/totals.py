"""Relations between answers: the X-Total-Count of related requests must agree, whatever the data's size.

A client without a copy of the data cannot say how many customers a filter must find, but it can say how
the counts of related requests relate: ``eq v`` and ``ne v`` add up to the whole; ``gt v``, ``lte v`` and
``exists=false`` partition it; ``in a,b`` is ``in a`` plus ``in b`` for distinct values; a needle in another
case finds as many, a longer one never more; ``startsWith`` finds no more than ``contains`` and only
items that ``contains`` finds; a filter never adds items; the sort never changes the count. Each count is
asked with a page of one item. A set of requests that all count nothing judges nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.variants import (
    identity_rule,
    max_ids,
    raw_value,
    restricted,
    rewritten,
    with_value,
    without,
)
from contract_tests.judging.context import Context
from contract_tests.judging.failures import TotalsViolation
from contract_tests.judging.oracle import GROWS_AT_END, PARTITIONS, WIDER_TEXT_OPERATOR, checkable
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.model import TEXT_OPERATORS, FilterRule, SortKey
from customers_spec.terms import Condition
from customers_spec.values import get_path, parse_value

MAX_LIST_VALUES = 3


def _single_terms(case: Case) -> list[Condition]:
    return [c for c in case.conditions if len(c.terms) == 1 and checkable(c)]


def _fail(expected: str, actual: str, urls: Sequence[str]) -> TotalsViolation:
    return TotalsViolation(expected, actual, requests=tuple(dict.fromkeys(urls)))


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def totals_partition(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A filter and its opposites partition the whole: eq+ne, in+nin, gt+lte+exists=false, ... add up."""
    verdict: Verdict | None = NOT_JUDGED
    for condition in _single_terms(case):
        clause = condition.terms[0].clause
        opposites = PARTITIONS.get(clause.operator)
        if not opposites:
            continue
        value = raw_value(ctx, case, condition)
        parts = [rewritten(ctx, case, condition, operator, fixed or value) for operator, fixed in opposites]
        if any(part is None for part in parts):
            continue
        whole, whole_url = ctx.count(without(case, condition), TotalsViolation)
        if whole == 0:
            continue
        own, own_url = ctx.count(case, TotalsViolation)
        counted = [ctx.count(part, TotalsViolation) for part in parts if part is not None]
        if own + sum(total for total, _ in counted) != whole:
            names = " + ".join([clause.operator, *(operator for operator, _ in opposites)])
            shares = " + ".join(str(total) for total in [own, *(total for total, _ in counted)])
            raise _fail(
                f"{names} on {clause.path} with {value!r} to add up to the {whole} customers without the filter",
                f"{shares} = {own + sum(total for total, _ in counted)}",
                [own_url, *(url for _, url in counted), whole_url],
            )
        verdict = None
    return verdict


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def totals_list_sum(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A list filter (``status=a,b``, ``in``) finds as many as its distinct values one by one, added up."""
    verdict: Verdict | None = NOT_JUDGED
    for condition in _single_terms(case):
        clause = condition.terms[0].clause
        if clause.operator != "in":
            continue
        distinct: dict[object, str] = {}
        for raw in ctx.spec.wire.split_list(raw_value(ctx, case, condition)):
            try:
                distinct.setdefault(parse_value(clause.type, raw), raw)
            except ValueError:
                continue
        values = list(distinct.values())[:MAX_LIST_VALUES]
        if len(values) < 2:
            continue
        together = with_value(ctx, case, condition, ctx.spec.wire.join_list(values))
        alone = [with_value(ctx, case, condition, value) for value in values]
        if together is None or any(each is None for each in alone):
            continue
        total, url = ctx.count(together, TotalsViolation)
        counted = [ctx.count(each, TotalsViolation) for each in alone if each is not None]
        if total == 0 and not any(each for each, _ in counted):
            continue
        if total != sum(each for each, _ in counted):
            raise _fail(
                f"{condition.parameter}={','.join(values)} to find as many as each value alone, added up "
                f"({' + '.join(str(each) for each, _ in counted)})",
                f"{total}",
                [url, *(each_url for _, each_url in counted)],
            )
        verdict = None
    return verdict


def _text_conditions(case: Case) -> list[Condition]:
    """The filters whose every term is a case-insensitive text operator with one needle."""
    return [
        c
        for c in case.conditions
        if c.terms
        and checkable(c)
        and all(t.clause.operator in TEXT_OPERATORS and isinstance(t.value, str) for t in c.terms)
        and len({(t.clause.operator, t.value) for t in c.terms}) == 1
    ]


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def totals_case_variants(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A text filter's needle in another case finds as many customers (matching is case-insensitive)."""
    verdict: Verdict | None = NOT_JUDGED
    for condition in _text_conditions(case):
        needle = raw_value(ctx, case, condition)
        variant = needle.swapcase()
        if variant == needle or variant.casefold() != needle.casefold():
            continue
        other = with_value(ctx, case, condition, variant)
        if other is None or {t.clause for t in other.conditions[-1].terms} != {t.clause for t in condition.terms}:
            continue
        own, own_url = ctx.count(case, TotalsViolation)
        theirs, their_url = ctx.count(other, TotalsViolation)
        if own == theirs == 0:
            continue
        if own != theirs:
            raise _fail(
                f"{condition.parameter} {needle!r} and {variant!r} to find as many customers",
                f"{own} and {theirs}",
                [own_url, their_url],
            )
        verdict = None
    return verdict


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def totals_longer_needle(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A longer needle never finds more customers than the needle it extends."""
    verdict: Verdict | None = NOT_JUDGED
    for condition in _text_conditions(case):
        needle = raw_value(ctx, case, condition)
        operator = condition.terms[0].clause.operator
        longer = _longer(ctx, condition, needle, GROWS_AT_END[operator])
        if longer is None:
            continue
        other = with_value(ctx, case, condition, longer)
        if other is None or {t.clause for t in other.conditions[-1].terms} != {t.clause for t in condition.terms}:
            continue
        own, own_url = ctx.count(case, TotalsViolation)
        theirs, their_url = ctx.count(other, TotalsViolation)
        if own == 0:
            continue
        if theirs > own:
            raise _fail(
                f"{condition.parameter} {longer!r} to find at most the {own} customers {needle!r} finds",
                f"{theirs}",
                [their_url, own_url],
            )
        verdict = None
    return verdict


def _longer(ctx: Context, condition: Condition, needle: str, at_end: bool) -> str | None:
    """The needle grown by one character that a sampled item has next to it, so the longer one finds something."""
    folded = needle.casefold()
    for record in ctx.sample.records:
        for term in condition.terms:
            text = get_path(record, term.clause.path)
            if not isinstance(text, str):
                continue
            haystack = text.casefold()
            index = haystack.find(folded) if folded else -1
            if index < 0:
                continue
            if at_end and index + len(folded) < len(haystack):
                return needle + haystack[index + len(folded)]
            if not at_end and index > 0:
                return haystack[index - 1] + needle
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def totals_affix_within_contains(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """``startsWith``/``endsWith`` find no more than ``contains`` with the same needle, and only items it finds."""
    verdict: Verdict | None = NOT_JUDGED
    identity = identity_rule(ctx.spec)
    for condition in _single_terms(case):
        clause = condition.terms[0].clause
        if clause.operator not in WIDER_TEXT_OPERATOR and clause.operator not in WIDER_TEXT_OPERATOR.values():
            continue
        needle = raw_value(ctx, case, condition)
        for narrow_operator, wide_operator in WIDER_TEXT_OPERATOR.items():
            narrow_case = rewritten(ctx, case, condition, narrow_operator, needle)
            wide_case = rewritten(ctx, case, condition, wide_operator, needle)
            if narrow_case is None or wide_case is None:
                continue
            narrow, narrow_url = ctx.count(narrow_case, TotalsViolation)
            wide, wide_url = ctx.count(wide_case, TotalsViolation)
            if narrow > wide:
                raise _fail(
                    f"{narrow_operator} {needle!r} on {clause.path} to find at most the {wide} {wide_operator} finds",
                    f"{narrow}",
                    [narrow_url, wide_url],
                )
            if narrow and identity is not None:
                _within(ctx, narrow_case, wide_case, identity, f"{narrow_operator} {needle!r} on {clause.path}")
            if narrow or wide:
                verdict = None
    return verdict


def _within(ctx: Context, narrow: Case, wide: Case, identity: FilterRule, what: str) -> None:
    """The first page of ``narrow``'s items is found by ``wide`` too (asked for by their ids)."""
    path = identity.clauses[0].path
    items, answer = ctx.page(narrow, TotalsViolation, offset=0, limit=max_ids(ctx.spec, identity))
    ids = [get_path(item, path) for item in items if isinstance(get_path(item, path), str)]
    inside = restricted(ctx, wide, ids, identity, wide.conditions)
    found, found_url = ctx.count(inside, TotalsViolation)
    if ids and found != len(ids):
        raise _fail(
            f"the {len(ids)} items of {what} among those of the wider operator", f"{found}", [answer.url, found_url]
        )


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def totals_narrowing(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Adding a filter never adds customers: without any one of its filters, a request finds at least as many."""
    if not case.conditions:
        return NOT_JUDGED
    own, own_url = ctx.count(case, TotalsViolation)
    for condition in case.conditions:
        wider, wider_url = ctx.count(without(case, condition), TotalsViolation)
        if own > wider:
            raise _fail(
                f"at most the {wider} customers found without {condition.parameter}",
                f"{own} with it",
                [own_url, wider_url],
            )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def total_ignores_sort(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The sort never changes how many customers a request finds (nor drops those with no value to sort by)."""
    grammar = ctx.spec.sort.grammar
    if case.sort:
        other = case.with_sort(grammar, ())
    else:
        path = _most_missing_sort_path(ctx)
        if path is None:
            return NOT_JUDGED
        other = case.with_sort(grammar, (SortKey(path, descending=True),))
    own, own_url = ctx.count(case, TotalsViolation)
    theirs, their_url = ctx.count(other, TotalsViolation)
    if own != theirs:
        raise _fail("the same X-Total-Count with another sort", f"{own} and {theirs}", [own_url, their_url])
    return None if own else NOT_JUDGED


def _most_missing_sort_path(ctx: Context) -> str | None:
    """The sortable path that most sampled items have no value at (where a sparse index would drop them)."""
    counts = {
        path: sum(get_path(record, path) is None for record in ctx.sample.records) for path in ctx.spec.sort.fields
    }
    path = max(counts, key=lambda each: counts[each], default=None)
    return path if path is not None and counts[path] else None
