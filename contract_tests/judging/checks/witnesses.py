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

from collections.abc import Sequence
from typing import Any

from contract_tests.generation.cases import Case, Filter
from contract_tests.generation.conformance import conforms
from contract_tests.generation.value_strategies import date_formats
from contract_tests.judging.checks.meaning import shown, written
from contract_tests.judging.checks.signatures import identified, signatures, varied
from contract_tests.judging.checks.variants import identity_rule, max_ids, raw_value, restricted, rewritten
from contract_tests.judging.context import Context
from contract_tests.judging.failures import WitnessViolation, id_texts
from contract_tests.judging.oracle import checkable, order, satisfies, satisfies_all
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.model import LIST_OPERATORS, TEXT_OPERATORS, Clause, FilterRule, Spec
from customers_spec.terms import Condition, filter_condition
from customers_spec.values import get_path, parse_datetime


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def filter_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Sampled items asked for by id with the request's filters come back exactly when they satisfy them."""
    rule = identity_rule(ctx.spec)
    conditions = [c for c in case.conditions if checkable(c) and c.terms and rule and c.parameter != rule.parameter]
    if rule is None or not conditions or not identified(ctx, rule):
        return NOT_JUDGED
    judge_witnesses(ctx, case, conditions, rule)
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def operator_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Every operator of a filtered field's type, asked with the request's value (a date in each accepted
    format), finds exactly the sampled items the spec's meaning of that operator selects."""
    rule = identity_rule(ctx.spec)
    if rule is None or not identified(ctx, rule):
        return NOT_JUDGED
    verdict: Verdict | None = NOT_JUDGED
    for condition in case.conditions:
        if len(condition.terms) != 1 or not checkable(condition) or condition.parameter == rule.parameter:
            continue
        clause = condition.terms[0].clause
        raw = raw_value(ctx, case, condition) if clause.operator != "exists" else _sampled_text(ctx, clause.path)
        if raw is None:
            continue
        asked = probes(ctx.spec, clause, raw)
        fraction = _with_fraction(ctx, clause) if clause.type == "date" else None
        if fraction is not None:  # a boundary whose fractional seconds decide (a server may drop them)
            asked += [(operator, fraction) for operator in ("gt", "lte")]
        for operator, value in asked:
            probe = rewritten(ctx, case, condition, operator, value)
            if probe is None:
                continue
            judge_witnesses(ctx, probe, [c for c in probe.conditions if checkable(c) and c.terms], rule)
            verdict = None
    return verdict


def _with_fraction(ctx: Context, clause: Clause) -> str | None:
    """A date-time the data has at the clause's path with fractional seconds, as the data writes it."""
    for value in ctx.sample.of(clause.path):
        try:
            if isinstance(value, str) and parse_datetime(value).microsecond:
                return value
        except ValueError:
            continue
    return None


def _sampled_text(ctx: Context, path: str) -> str | None:
    """A value the data has at ``path``, as query text (an ``exists`` filter carries none to probe with)."""
    known = ctx.sample.of(path)
    if not known or isinstance(known[len(known) // 2], bool):
        return str(known[len(known) // 2]).lower() if known else None
    return str(known[len(known) // 2])


def probes(spec: Spec, clause: Clause, raw: str) -> list[tuple[str, str]]:
    """(operator, value) for each operator the field's type allows, from the value a request was written with."""
    first = spec.wire.split_list(raw)[0] if clause.operator in LIST_OPERATORS else raw
    needle = raw if clause.operator in TEXT_OPERATORS or len(first) < 3 else first[1:3]
    found: list[tuple[str, str]] = []
    for operator in sorted(spec.operators_by_type[clause.type]):
        if operator == "exists":
            found.extend((operator, value) for value in ("true", "false"))
        elif operator in LIST_OPERATORS:
            found.append((operator, raw))
        elif operator in TEXT_OPERATORS:
            found.append((operator, needle))
        else:
            found.extend((operator, written) for written in _formats(clause, first, operator))
    return found


def _formats(clause: Clause, value: str, operator: str) -> list[str]:
    """The value as written, and for a date the same instant in each other accepted format (boundaries only)."""
    if clause.type != "date" or operator not in ("gte", "lt"):
        return [value]
    try:
        moment = parse_datetime(value)
    except ValueError:
        return [value]
    return list(dict.fromkeys([value, *date_formats(moment)]))


def judge_witnesses(ctx: Context, case: Case, conditions: Sequence[Condition], rule: FilterRule) -> None:
    """Ask ``case``'s ``conditions`` restricted to varied sampled items; raise unless exactly the right ones come."""
    conditions = [condition for condition in conditions if condition.parameter != rule.parameter]
    records = identified(ctx, rule)
    keys = signatures(records, conditions, ctx.spec, ctx.sample.memo)
    chosen = varied(records, keys, max_ids(ctx.spec, rule))
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
        missing = [
            shown(record, paths, ctx.spec.collection.id_field)
            for record in expected
            if get_path(record, path) not in got
        ]
        extra = [
            shown(item, paths, ctx.spec.collection.id_field) for item in items if get_path(item, path) not in wanted
        ]
        filters = " and ".join(written(probe, condition) for condition in conditions)
        raise WitnessViolation(
            f"{len(wanted)} of {len(ids)} sampled items, those satisfying {filters}",
            f"{len(got)} items (X-Total-Count {ctx.total(answer)}); missing {missing[:2]}; extra {extra[:2]}",
            requests=(answer.url,),
            about=id_texts(sorted(got ^ wanted, key=str)),
            witnesses=id_texts(ids),
        )


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def sort_witnesses(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Sampled items asked for by id with the request's sort come back in the spec's order (missing values too)."""
    rule = identity_rule(ctx.spec)
    if rule is None or not case.sort:
        return NOT_JUDGED
    keys = ctx.spec.sort.ordered_by(case.sort)
    records = identified(ctx, rule)
    missing = [tuple(get_path(record, key.path) is None for key in keys[:2]) for record in records]
    chosen = varied(records, missing, max_ids(ctx.spec, rule))
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
        at = [
            shown(by_id[each], paths, ctx.spec.collection.id_field) if each in by_id else str(each)
            for each in got[index : index + 1]
        ]
        raise WitnessViolation(
            f"the {len(expected)} sampled items in the order {ctx.spec.sort.grammar.write(case.sort)},"
            f" {shown(by_id[expected[index]], paths, ctx.spec.collection.id_field)} at {index}",
            f"{at[0] if at else 'nothing'} at {index}" if items is not None else f"status {answer.status}",
            requests=(answer.url,),
            about=id_texts([*got[index : index + 1], expected[index]]),
            witnesses=id_texts(expected),
        )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
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
    records = identified(ctx, rule)
    path = rule.clauses[0].path
    verdict: Verdict | None = NOT_JUDGED
    for multi in judged:
        for clause in multi.clauses:
            found = _clause_probe(ctx.spec, records, clause, multi, case)
            if found is None:
                continue
            record, raw = found
            condition = filter_condition(multi, raw)
            own = get_path(record, path)
            probe = restricted(ctx, Case("valid"), [own], rule, ())
            probe = probe.with_filter(
                Filter(ctx.spec.wire.value_pairs(ctx.spec.parameters[multi.parameter], [raw]), condition)
            )
            answer = ctx.send(probe)
            items = ctx.items(answer)
            if items is None or [get_path(item, path) for item in items] != [own]:
                raise WitnessViolation(
                    f"{shown(record, [clause.path], ctx.spec.collection.id_field)} for {multi.parameter}={raw}"
                    f" (its {clause.path})",
                    f"{len(items)} items" if items is not None else f"status {answer.status}",
                    requests=(answer.url,),
                    about=id_texts([own]),
                )
            verdict = None
    return verdict


def _clause_probe(
    spec: Spec, records: Sequence[dict[str, Any]], clause: Clause, rule: FilterRule, case: Case
) -> tuple[dict[str, Any], str] | None:
    """A sampled record and a value that the clause alone makes it match: its whole value, or a piece of it."""
    start = sum(map(ord, repr(case.query))) % max(1, len(records))
    for record in (*records[start:], *records[:start]):
        value = get_path(record, clause.path)
        if value is None or isinstance(value, bool | dict | list):
            continue
        text = str(value)
        raw = text[len(text) // 3 : len(text) // 3 + max(3, len(text) // 3)] if clause.operator != "eq" else text
        if not raw or not clause.applies_to(raw) or not conforms(spec, spec.parameters[rule.parameter], raw):
            continue  # a value the spec refuses (too long, say) would rightly get a 400
        try:
            terms = filter_condition(rule, raw).terms
        except ValueError:
            continue
        own = tuple(term for term in terms if term.clause == clause)
        if own and satisfies(record, Condition(rule.parameter, own)):
            return record, raw
    return None
