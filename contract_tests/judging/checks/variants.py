"""Requests related to a generated one, built from the spec: the same filters restricted to some ids, one
filter asked with another operator or value through ``generalField``, or left out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from contract_tests.generation.cases import Case, Filter
from contract_tests.generation.conformance import conforms
from contract_tests.judging.context import Context
from customers_spec.model import FilterRule, Spec
from customers_spec.terms import Condition, filter_condition, general_condition
from customers_spec.wire import Pairs, base_name, deep_name, deep_pairs

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


def restricted(ctx: Context, case: Case, ids: Sequence[str], rule: FilterRule, conditions: Iterable[Condition]) -> Case:
    """``case`` with only ``conditions`` kept, restricted to ``ids``, all of them on one page."""
    kept = tuple(condition for condition in conditions if condition.parameter != rule.parameter)
    names = {condition.parameter for condition in kept}
    paging = ctx.spec.pagination
    query: Pairs = tuple(
        (key, value)
        for key, value in case.query
        if key not in (paging.limit, paging.offset) and (base_name(key) in names or key == ctx.spec.sort.parameter)
    )
    identity = filter_condition(rule, list(ids))
    written = ctx.spec.wire.value_pairs(ctx.spec.parameters[rule.parameter], ids)
    query = (*query, *written, (paging.limit, str(max(1, len(ids)))))
    return replace(case, query=query, conditions=(*kept, identity))


def general_rule(spec: Spec) -> FilterRule | None:
    """The deep-object filter that takes any field and operator (``generalField``)."""
    return next((rule for rule in spec.filters.values() if rule.general), None)


def without(case: Case, condition: Condition) -> Case:
    """``case`` without one of its filters."""
    query = tuple((key, value) for key, value in case.query if base_name(key) != condition.parameter)
    return replace(case, query=query, conditions=tuple(each for each in case.conditions if each is not condition))


def raw_value(ctx: Context, case: Case, condition: Condition) -> str:
    """The value a filter was written with (a list comma-separated)."""
    if ctx.spec.filters[condition.parameter].general:
        return case.value(deep_name(condition.parameter, "value")) or ""
    return ctx.spec.wire.join_list(case.values(condition.parameter))


def rewritten(ctx: Context, case: Case, condition: Condition, operator: str, value: str) -> Case | None:
    """``case`` with ``condition`` (one term) asked as ``generalField`` with another operator or value; None
    when the spec does not allow that or ``generalField`` already carries another of the case's filters."""
    general = general_rule(ctx.spec)
    path = condition.terms[0].clause.path
    if general is None:
        return None
    if condition.parameter != general.parameter and any(c.parameter == general.parameter for c in case.conditions):
        return None
    written = {"field": path, "operator": operator, "value": value}
    if not conforms(ctx.spec, ctx.spec.parameters[general.parameter], written):
        return None
    try:
        new = general_condition(ctx.spec, general.parameter, path, operator, value)
    except ValueError:
        return None
    base = without(case, condition)
    return replace(base, query=base.query + deep_pairs(general.parameter, written), conditions=(*base.conditions, new))


def with_value(ctx: Context, case: Case, condition: Condition, value: str) -> Case | None:
    """``case`` with one filter's value replaced (same parameter, same operator); None when not allowed."""
    rule = ctx.spec.filters[condition.parameter]
    if rule.general:
        operator = case.value(deep_name(condition.parameter, "operator")) or ""
        return rewritten(ctx, case, condition, operator, value)
    parameter = ctx.spec.parameters[rule.parameter]
    raw: str | list[str] = ctx.spec.wire.split_list(value) if parameter.is_array else value
    if not conforms(ctx.spec, parameter, raw):
        return None
    try:
        new = filter_condition(rule, raw)
    except ValueError:
        return None
    return case.with_filter(Filter(ctx.spec.wire.value_pairs(parameter, [value]), new))
