"""Witnesses: sampled items that judge, in one request, what a filter or an order must do at any data size.

The kit reads one page of real items at the start (``Sample.records``). For a request's filters, it picks up
to the ``ids`` filter's ``maxItems`` of those items, as varied as it can (each with its own pattern of which
operators its value meets: the item exactly at a boundary, one with no value, one containing the needle in
the middle rather than at the start, ...), and asks the same filters again restricted to their ids. The
answer must be exactly the witnesses the oracle says satisfy the filters: a consistent fault inside the
server's query (a case-sensitive collation, a ``gt`` that acts as ``gte``) shows here whatever the size of
the data, without a copy of it. The same ids sent with a sort must come back in the oracle's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from contract_tests.cases import Case, Pairs
from contract_tests.checks.meaning import shown
from contract_tests.context import Context
from contract_tests.failures import WitnessViolation
from contract_tests.oracle import checkable, holds, order, satisfies, satisfies_all
from contract_tests.registry import NOT_JUDGED, Verdict, check
from contract_tests.transport import Response
from customers_spec.model import LIST_OPERATORS, Clause, FilterRule, Spec
from customers_spec.terms import Condition, Term, filter_condition
from customers_spec.values import get_path, record_value

DEFAULT_MAX_IDS = 100


def identity_rule(spec: Spec) -> FilterRule | None:
    """The filter that selects items by their identity (``ids``): ``in`` on the tie-breaker's unique path."""
    path = spec.sort.tie_breaker.path
    for rule in spec.filters.values():
        if len(rule.clauses) == 1:
            clause = rule.clauses[0]
            if clause.path == path and clause.via is None and clause.operator == "in":
                return rule
    return None


def max_ids(spec: Spec, rule: FilterRule) -> int:
    """How many ids one request may carry (the parameter's ``maxItems``), within the largest page."""
    schema = spec.parameters[rule.parameter].schema
    largest = int(spec.parameters[spec.pagination.limit].schema.get("maximum", DEFAULT_MAX_IDS))
    return min(int(schema.get("maxItems", DEFAULT_MAX_IDS)), largest)


def parameter_of(key: str) -> str:
    """The parameter a query key belongs to (a deep object's ``generalField[field]`` to ``generalField``)."""
    return key.split("[", 1)[0]


def restricted(ctx: Context, case: Case, ids: Sequence[str], rule: FilterRule, conditions: Iterable[Condition]) -> Case:
    """``case`` with only ``conditions`` kept, restricted to ``ids``, all of them on one page."""
    kept = tuple(conditions)
    names = {condition.parameter for condition in kept}
    paging = ctx.spec.pagination
    query: Pairs = tuple(
        (key, value)
        for key, value in case.query
        if key not in (paging.limit, paging.offset) and (parameter_of(key) in names or key == ctx.spec.sort.parameter)
    )
    identity = filter_condition(rule, list(ids))
    query = (*query, (rule.parameter, ",".join(ids)), (paging.limit, str(max(1, len(ids)))))
    return replace(case, query=query, conditions=(*kept, identity))


def signature(item: dict[str, Any], conditions: Sequence[Condition], spec: Spec) -> tuple[bool, ...]:
    """Which operators of each term's field type the item's value meets with the term's value(s).

    Two items with the same signature test a server the same way; items with different ones test it
    differently (one exactly at a ``gt`` boundary, one without a value, one matching in another case...).
    """
    flags: list[bool] = []
    for condition in conditions:
        flags.append(satisfies(item, condition))
        for term in condition.terms:
            flags.extend(_term_flags(item, term, spec))
    return tuple(flags)


def _term_flags(item: dict[str, Any], term: Term, spec: Spec) -> list[bool]:
    clause = term.clause
    value = record_value(clause.type, get_path(item, clause.path))
    wanted = term.value if isinstance(term.value, tuple) else (term.value,)
    flags = [value is None]
    if clause.operator == "exists":
        return flags
    for operator in sorted(spec.operators_by_type[clause.type] - LIST_OPERATORS - {"exists"}):
        other = Clause(clause.path, operator, clause.type)
        flags.extend(holds(other, value, each) for each in wanted[:3])
    return flags


def varied(records: Sequence[dict[str, Any]], key: Any, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` records, taken in turn from each group of equal ``key(record)`` (in first-seen order)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    chosen: list[dict[str, Any]] = []
    queues = list(groups.values())
    depth = 0
    while len(chosen) < limit and any(depth < len(queue) for queue in queues):
        chosen.extend(queue[depth] for queue in queues if depth < len(queue))
        depth += 1
    return chosen[:limit]


def _identified(ctx: Context, rule: FilterRule) -> list[dict[str, Any]]:
    path = rule.clauses[0].path
    return [record for record in ctx.sample.records if isinstance(get_path(record, path), str)]


@check(kinds=["valid"], needs_page=True)
def filter_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Sampled items asked for by id with the request's filters come back exactly when they satisfy them."""
    rule = identity_rule(ctx.spec)
    conditions = [c for c in case.conditions if checkable(c) and c.terms and rule and c.parameter != rule.parameter]
    if rule is None or not conditions:
        return NOT_JUDGED
    records = _identified(ctx, rule)
    if not records:
        return NOT_JUDGED
    chosen = varied(records, lambda record: signature(record, conditions, ctx.spec), max_ids(ctx.spec, rule))
    path = rule.clauses[0].path
    ids = [get_path(record, path) for record in chosen]
    probe = restricted(ctx, case, ids, rule, conditions)
    answer = ctx.send(probe)
    items = ctx.items(answer)
    if items is None:
        raise WitnessViolation(
            "200 with a valid page", f"status {answer.status} for {answer.url}", requests=(answer.url,)
        )
    expected = [record for record in chosen if satisfies_all(record, conditions)]
    got = {get_path(item, path) for item in items}
    wanted = {get_path(record, path) for record in expected}
    if got != wanted or ctx.total(answer) != len(wanted):
        paths = [term.clause.path for condition in conditions for term in condition.terms]
        missing = [shown(record, paths) for record in expected if get_path(record, path) not in got]
        extra = [shown(item, paths) for item in items if get_path(item, path) not in wanted]
        raise WitnessViolation(
            f"{len(wanted)} of {len(ids)} sampled items, those satisfying the filters",
            f"{len(got)} items (X-Total-Count {ctx.total(answer)}); missing {missing[:2]}; extra {extra[:2]}",
            requests=(answer.url,),
        )
    return None


@check(kinds=["valid"], needs_page=True)
def sort_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Sampled items asked for by id with the request's sort come back in the spec's order (missing values too)."""
    rule = identity_rule(ctx.spec)
    raw = case.value(ctx.spec.sort.parameter)
    if rule is None or raw is None:
        return NOT_JUDGED
    keys = ctx.spec.sort.effective(raw)
    records = _identified(ctx, rule)
    chosen = varied(
        records,
        lambda record: tuple(get_path(record, key.path) is None for key in keys[:2]),
        max_ids(ctx.spec, rule),
    )
    if len(chosen) < 2:
        return NOT_JUDGED
    path = rule.clauses[0].path
    probe = restricted(ctx, case, [get_path(record, path) for record in chosen], rule, ())
    answer = ctx.send(probe)
    items = ctx.items(answer)
    expected = [get_path(record, path) for record in order(chosen, keys, spec=ctx.spec)]
    got = [get_path(item, path) for item in items or ()]
    if got != expected:
        index = next((i for i, pair in enumerate(zip(got, expected, strict=False)) if pair[0] != pair[1]), 0)
        by_id = {get_path(record, path): record for record in chosen}
        paths = [key.path for key in keys]
        at = [shown(by_id[each], paths) if each in by_id else str(each) for each in got[index : index + 1]]
        raise WitnessViolation(
            f"the {len(expected)} sampled items in the order {raw}, {shown(by_id[expected[index]], paths)} at {index}",
            f"{at[0] if at else 'nothing'} at {index}" if items is not None else f"status {answer.status}",
            requests=(answer.url,),
        )
    return None


@check(kinds=["valid"], needs_page=True)
def clause_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Each field a multi-field filter searches (name, its digits rule, every address field) finds a sampled item
    by a value taken from that field."""
    rule = identity_rule(ctx.spec)
    judged = [
        ctx.spec.filters[c.parameter]
        for c in case.conditions
        if rule and c.parameter != rule.parameter and len(ctx.spec.filters[c.parameter].clauses) > 1 and checkable(c)
    ]
    if rule is None or not judged:
        return NOT_JUDGED
    records = _identified(ctx, rule)
    path = rule.clauses[0].path
    verdict: Verdict | None = NOT_JUDGED
    for multi in judged:
        for clause in multi.clauses:
            found = _clause_probe(records, clause, multi, case)
            if found is None:
                continue
            record, raw = found
            condition = filter_condition(multi, raw)
            own = get_path(record, path)
            probe = restricted(ctx, Case("valid"), [own], rule, ())
            probe = probe.with_filter(multi.parameter, [raw], condition)
            answer = ctx.send(probe)
            items = ctx.items(answer)
            if items is None or [get_path(item, path) for item in items] != [own]:
                raise WitnessViolation(
                    f"{shown(record, [clause.path])} for {multi.parameter}={raw} (its {clause.path})",
                    f"{len(items)} items" if items is not None else f"status {answer.status}",
                    requests=(answer.url,),
                )
            verdict = None
    return verdict


def _clause_probe(
    records: Sequence[dict[str, Any]], clause: Clause, rule: FilterRule, case: Case
) -> tuple[dict[str, Any], str] | None:
    """A sampled record and a value that the clause alone makes it match: its whole value, or a piece of it."""
    start = sum(map(ord, repr(case.query))) % max(1, len(records))
    for record in (*records[start:], *records[:start]):
        value = get_path(record, clause.path)
        if value is None or isinstance(value, bool | dict | list):
            continue
        text = str(value)
        raw = text[len(text) // 3 : len(text) // 3 + max(3, len(text) // 3)] if clause.operator != "eq" else text
        if not raw or not clause.applies_to(raw):
            continue
        try:
            terms = filter_condition(rule, raw).terms
        except ValueError:
            continue
        own = tuple(term for term in terms if term.clause == clause)
        if own and satisfies(record, Condition(rule.parameter, own)):
            return record, raw
    return None
