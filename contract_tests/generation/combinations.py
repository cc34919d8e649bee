"""Requests where parameters meet: several filters of different kinds, a sort and a page, in one request.

A real server's query builder goes wrong where parameters meet, not where each is alone: a search box, a
status dropdown, a ``generalField`` condition and a sort column, as a frontend sends them together. Each
request here carries two or three filters of different kinds (``coverage.rule_kind``), always a sort and
always a window (``limit`` and ``offset``). Half the time ``generalField`` reads a field another filter of the
request also reads (``status`` and ``generalField[field]=status.status``), where a builder that keeps one
condition per field loses one.
"""

from __future__ import annotations

from itertools import combinations

from hypothesis import strategies as st

from contract_tests.generation.cases import Case, Filter
from contract_tests.generation.coverage import rule_kind
from contract_tests.generation.sample import Sample
from contract_tests.generation.strategies import (
    SMALL_LIMIT,
    bound,
    can_match,
    general_filters,
    given_sorts,
    one_of_many,
    valid_case,
)
from customers_spec.model import FilterRule, Spec
from customers_spec.wire import Pairs, bounds

MOST_FILTERS = 3


def combined_cases(
    spec: Spec, *, sample: Sample, rules: dict[str, st.SearchStrategy[Filter]]
) -> st.SearchStrategy[Case]:
    """Valid requests with two or three filters of different kinds, a sort and a page (``limit``, ``offset``)."""
    groups = filter_groups(spec, sample)
    if not groups:
        return st.nothing()
    general = next((name for name, rule in spec.filters.items() if rule.general), None)
    meeting = {
        name: general_filters(spec, general, sample=sample, paths=read_paths(spec.filters[name]))
        for name in spec.filters
        if general is not None and not spec.filters[name].general and read_paths(spec.filters[name])
    }
    chosen = []
    for group in groups:
        chosen.append(st.tuples(*(rules[name] for name in group)))
        for other in (name for name in group if name in meeting) if general in group else ():
            chosen.append(st.tuples(*(meeting[other] if name == general else rules[name] for name in group)))
    build = bound(valid_case, spec.sort.grammar)
    return st.builds(build, windows(spec), given_sorts(spec, sample=sample), one_of_many(chosen))


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
