"""Relation filters, which a client cannot decide item by item: unknown ids match nothing; lists are unions."""

from __future__ import annotations

import hashlib

from contract_tests.generation.cases import Case, Filter
from contract_tests.judging.context import Context
from contract_tests.judging.failures import RelationViolation, id_texts
from contract_tests.judging.oracle import checkable
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.terms import Condition, filter_condition

MAX_VALUES = 3


def relations_of(case: Case) -> list[Condition]:
    """The case's filters that go through a relation (with at least one term)."""
    return [condition for condition in case.conditions if condition.terms and not checkable(condition)]


def unknown_id(seed: str, known: set[str]) -> str:
    """An ObjectId derived from ``seed`` (so runs repeat) that is none of the ``known`` ones."""
    for attempt in range(100):
        candidate = hashlib.sha256(f"{seed}/{attempt}".encode()).hexdigest()[:24]
        if candidate not in known:
            return candidate
    raise AssertionError("no unknown id found")  # 100 hash collisions cannot happen


def _ids(ctx: Context, case: Case, name: str) -> list[str]:
    """The ids a relation filter of ``case`` was written with, in order."""
    return ctx.spec.wire.array_items(ctx.spec.parameters[name], case.values(name))


def _written(ctx: Context, name: str, ids: list[str]) -> Filter:
    """The relation filter ``name`` asked with ``ids``."""
    pairs = ctx.spec.wire.value_pairs(ctx.spec.parameters[name], ids)
    return Filter(pairs, filter_condition(ctx.spec.filters[name], ids))


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def relation_unknown_ids(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A relation filter whose ids match no related record gives no customers at all."""
    relations = relations_of(case)
    if not relations:
        return NOT_JUDGED
    for condition in relations:
        name = condition.parameter
        via = next(term.clause.via for term in condition.terms if term.clause.via is not None)
        known = set(ctx.sample.of_related(via.collection, via.match))
        fresh = unknown_id(repr(_ids(ctx, case, name)), known)
        probe = case.with_filter(_written(ctx, name, [fresh]))
        items, answer = ctx.page(probe, RelationViolation, offset=0, limit=1)
        if items or ctx.total(answer) != 0:
            raise RelationViolation(
                f"no customers for {name}={fresh}, an id of no related record",
                f"{ctx.total(answer)} customers ({answer.url})",
            )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def relation_union(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A relation filter with ids [a, b] gives the union of what [a] and [b] give (small results only)."""
    verdict: Verdict | None = NOT_JUDGED
    for condition in relations_of(case):
        name = condition.parameter
        values = list(dict.fromkeys(_ids(ctx, case, name)))[:MAX_VALUES]
        if len(values) < 2:
            continue
        together = ctx.collect(case.with_filter(_written(ctx, name, values)), RelationViolation)
        if together is None:
            continue
        alones = [ctx.collect(case.with_filter(_written(ctx, name, [value])), RelationViolation) for value in values]
        if any(alone is None for alone in alones):
            continue  # one id alone matches too many to page through; another relation filter may still be judged
        id_field = ctx.spec.collection.id_field
        union = {item.get(id_field) for alone in alones for item in alone or ()}
        got = {item.get(id_field) for item in together}
        if got != union:
            extra, missing = sorted(map(str, got - union)), sorted(map(str, union - got))
            raise RelationViolation(
                f"{name}={','.join(values)} to give the union of each id alone ({len(union)} customers)",
                f"{len(got)} customers; missing {missing[:3]}, extra {extra[:3]}",
                about=id_texts(sorted(got ^ union, key=str)),
            )
        verdict = None
    return verdict
