"""Requests where parameters meet: several filters of different kinds, a sort and a page, in one request.

A real server's query builder goes wrong where parameters meet, not where each is alone: a search box, a
status dropdown, a ``generalField`` condition and a sort column, as a frontend sends them together. Each
request here carries two or three filters of different kinds (``coverage.rule_kind``), always a sort and
always a window (``limit`` and ``offset``). Half the time ``generalField`` reads a field another filter of the
request also reads (``status`` and ``generalField[field]=status.status``), where a builder that keeps one
condition per field loses one.

Filters drawn each on its own rarely match a customer together, and an empty answer judges little; so most
requests here are anchored on one sampled customer: every filter's value is taken from it (a piece of its
name in another case, its status, its value of the ``generalField`` field), the way a person who knows a
customer narrows a list down to it. Those requests find the anchor and its neighbours, and near misses (a
customer meeting all filters but one) abound.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from contract_tests.generation.cases import Case, Filter
from contract_tests.generation.coverage import rule_kind
from contract_tests.generation.sample import Sample
from contract_tests.generation.strategies import (
    SMALL_LIMIT,
    bound,
    can_match,
    general_filter,
    general_filters,
    given_sorts,
    one_of_many,
    rule_filter,
    valid_case,
)
from contract_tests.generation.value_strategies import CASINGS, DATE_FORMS, cased, fragment, number_text, picked, typed
from customers_spec.model import LIST_OPERATORS, TEXT_OPERATORS, FilterRule, Spec
from customers_spec.values import get_path, parse_datetime
from customers_spec.wire import Pairs, bounds

MOST_FILTERS = 3
INCLUDING = frozenset({"eq", "gte", "lte", "in", "contains", "startsWith", "endsWith"})  # an anchor meets these


def combined_cases(
    spec: Spec, *, sample: Sample, rules: dict[str, st.SearchStrategy[Filter]]
) -> st.SearchStrategy[Case]:
    """Valid requests with two or three filters of different kinds, a sort and a page (``limit``, ``offset``)."""
    groups = filter_groups(spec, sample)
    if not groups:
        return st.nothing()
    general = next((name for name, rule in spec.filters.items() if rule.general), None)
    beside_general = {name for group in groups if general in group for name in group} - {general}
    meeting = {  # deferred: built only if drawn, as building every field's strategies takes a while
        name: st.deferred(bound(_general_on_paths, spec, general, sample, read_paths(spec.filters[name])))
        for name in sorted(beside_general)
        if general is not None and read_paths(spec.filters[name])
    }
    chosen = []
    for group in groups:
        chosen.append(st.tuples(*(rules[name] for name in group)))
        for other in (name for name in group if name in meeting) if general in group else ():
            chosen.append(st.tuples(*(meeting[other] if name == general else rules[name] for name in group)))
    build = bound(valid_case, spec.sort.grammar)
    drawn = one_of_many(chosen)
    anchorable = [group for group in groups if all(_anchorable(spec, name) for name in group)]
    if sample.records and anchorable:
        on_one = anchored_filters(spec, sample, anchorable, general)
        drawn = st.one_of(on_one, on_one, on_one, drawn)
    return st.builds(build, windows(spec), given_sorts(spec, sample=sample), drawn)


def _general_on_paths(spec: Spec, general: str, sample: Sample, paths: tuple[str, ...]) -> st.SearchStrategy[Filter]:
    return general_filters(spec, general, sample=sample, paths=paths)


def filter_groups(spec: Spec, sample: Sample) -> list[tuple[str, ...]]:
    """Every set of two or three filter parameters of different kinds whose values can match the data (``ids``
    aside: it picks rows, and the witness checks add it to every request they send anyway)."""
    kinds = {name: rule_kind(spec, spec.filters[name]) for name in sorted(spec.filters)}
    names = [name for name in kinds if can_match(spec, name, sample) and kinds[name] != "ids"]
    return [
        group
        for size in range(2, MOST_FILTERS + 1)
        for group in combinations(names, size)
        if len({kinds[name] for name in group}) == size
    ]


def _anchorable(spec: Spec, name: str) -> bool:
    """Whether a filter can take its value from a customer and still match others like it (an exact number
    cannot: it pins the answer to the anchor; a relation reads another collection)."""
    rule = spec.filters[name]
    return bool(read_paths(rule)) and rule_kind(spec, rule) != "exact"


def read_paths(rule: FilterRule) -> tuple[str, ...]:
    """The fields a filter reads on the customer itself (a relation filter reads another collection)."""
    return tuple(dict.fromkeys(clause.path for clause in rule.clauses if clause.via is None))


def windows(spec: Spec) -> st.SearchStrategy[Pairs]:
    """``limit`` and ``offset`` both given, small: combined filters match few customers."""
    names = spec.pagination
    low = bounds(spec.parameters[names.limit]).minimum
    first = bounds(spec.parameters[names.offset]).minimum
    return st.builds(
        lambda limit, offset: ((names.limit, str(limit)), (names.offset, str(offset))),
        st.integers(low, SMALL_LIMIT),
        st.one_of(st.just(first), st.just(first), st.integers(first, first + SMALL_LIMIT)),
    )


def anchored_filters(
    spec: Spec, sample: Sample, groups: list[tuple[str, ...]], general: str | None
) -> st.SearchStrategy[tuple[Filter, ...]]:
    """The filters of a group, each with a value taken from one sampled customer (the anchor)."""

    @st.composite
    def drawn(draw: st.DrawFn) -> tuple[Filter, ...]:
        group = draw(picked(groups))
        record = draw(picked(sample.records))
        others = {path for name in group if name != general for path in read_paths(spec.filters[name])}
        meet = bool(others) and draw(st.booleans())
        return tuple(
            _general_on(draw, spec, name, record, others if meet else set(spec.field_types))
            if name == general
            else _rule_on(draw, spec, spec.filters[name], record)
            for name in group
        )

    return drawn()


def _rule_on(draw: st.DrawFn, spec: Spec, rule: FilterRule, record: dict[str, Any]) -> Filter:
    """A filter parameter's value from the anchor: a piece of a searched field, its number, its status."""
    clauses = [clause for clause in rule.clauses if clause.via is None and get_path(record, clause.path) is not None]
    if not clauses:
        reject()
    clause = draw(st.sampled_from(clauses))
    value = _typed_as(draw, clause.type, clause.operator, get_path(record, clause.path))
    return rule_filter(spec, rule, [value], draw(st.booleans()))


def _general_on(draw: st.DrawFn, spec: Spec, parameter: str, record: dict[str, Any], paths: set[str]) -> Filter:
    """A ``generalField`` condition on one of ``paths``, valued as the anchor, mostly with an operator the anchor
    meets (``eq``, ``gte``, ``contains``...), else any its type allows."""
    path = draw(st.sampled_from(sorted(paths & set(spec.field_types))))
    field_type = spec.field_types[path]
    allowed = spec.operators_by_type[field_type]
    including = sorted(allowed & INCLUDING) or sorted(allowed)
    operator = draw(st.one_of(st.sampled_from(including), st.sampled_from(including), st.sampled_from(sorted(allowed))))
    value = get_path(record, path)
    if operator == "exists":
        text = draw(st.sampled_from(["true", "false"]))
    elif value is None or isinstance(value, dict | list):
        reject()
    else:
        text = _typed_as(draw, field_type, operator, value)
    return general_filter(spec, parameter, path, operator, text, draw(st.sampled_from([None, field_type])))


def _folded_only(text: str) -> str:
    """``ß`` written ``SS`` and ``ss`` as ``ß``: typed otherwise, still the anchor's text (it must match)."""
    return text.upper() if "ß" in text else text.replace("ss", "ß")


def _typed_as(draw: st.DrawFn, field_type: str, operator: str, value: Any) -> str:
    """A stored value as a person types it into a filter: a piece in another case for a text search, a number
    as the spec writes numbers, a date in another accepted form."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return number_text(value)
    text = str(value)
    if operator in TEXT_OPERATORS and text:
        piece = fragment(text, draw(st.integers(0, 40)), draw(st.integers(1, 8)), operator)
        return cased(piece, draw(st.sampled_from(CASINGS))) if draw(st.integers(0, 3)) else typed(piece, _folded_only)
    if field_type == "date" and operator not in LIST_OPERATORS:
        return draw(st.sampled_from([text, *(form(parse_datetime(text)) for form in DATE_FORMS)]))
    return text
