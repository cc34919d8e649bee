"""Hypothesis strategies for requests to the operation, read from the spec (and biased by a data sample).

``from_spec`` mixes valid requests (paging, sort, filters), invalid ones (``contract_tests.generation.invalid``) and
requests without a valid key in one strategy; ``contract_tests.generation.areas`` splits the same space into
parts the runner explores one by one. Every valid request is checked against the parameter schemas before it
is used, so the kit never blames a server for refusing what the spec itself forbids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st

from contract_tests.generation.cases import Case, Filter, Kind
from contract_tests.generation.conformance import conforms
from contract_tests.generation.invalid import invalid_cases
from contract_tests.generation.sample import Sample
from contract_tests.generation.value_strategies import decimals, picked, values_for
from customers_spec.model import LIST_OPERATORS, Clause, FieldType, FilterRule, Parameter, SortKey, Spec
from customers_spec.terms import filter_condition, general_condition
from customers_spec.values import get_path
from customers_spec.wire import Pairs, SortGrammar, bounds, deep_pairs

T = TypeVar("T")
MAX_LIST = 3
GENERAL_WEIGHT = 2  # per field type: generalField spans every type, field and operator
FILTER_WEIGHT = 2
BLIND_WEIGHT = 1  # a relation filter without known related ids matches nothing: little to judge
MISSING_SENSITIVE = frozenset({"ne", "nin", "exists"})
SMALL_LIMIT = 12


def from_spec(
    spec: Spec, *, sample: Sample, kinds: Iterable[Kind] = ("valid", "invalid", "no_key")
) -> st.SearchStrategy[Case]:
    """Requests of the given kinds, weighted: mostly valid ones, then invalid input, then missing or wrong keys."""
    wanted = set(kinds)
    unauthorized = wanted & {"no_key", "wrong_key"}
    weighted = [
        (6, valid_cases(spec, sample=sample) if "valid" in wanted else None),
        (3, invalid_cases(spec) if "invalid" in wanted else None),
        (1, unauthorized_cases(spec, sample=sample, kinds=unauthorized) if unauthorized else None),
    ]
    table = [strategy for weight, strategy in weighted if strategy is not None for _ in range(weight)]
    return one_of_many(table)


def filter_strategies(spec: Spec, *, sample: Sample) -> dict[str, st.SearchStrategy[Filter]]:
    """A strategy per filter parameter; build them once per run, they are large."""
    return {name: filters(spec, rule, sample=sample) for name, rule in sorted(spec.filters.items())}


def valid_cases(
    spec: Spec,
    *,
    sample: Sample,
    focus: str | None = None,
    rules: dict[str, st.SearchStrategy[Filter]] | None = None,
) -> st.SearchStrategy[Case]:
    """Valid requests: optional limit, offset and sort, and up to two filters (``focus`` always among them)."""
    rules = rules if rules is not None else filter_strategies(spec, sample=sample)
    any_filter = one_of_many(list(rules.values()))
    optional = st.one_of(st.none(), one_of_many([rules[name] for name in rules if can_match(spec, name, sample)]))
    if focus is None:
        chosen = st.one_of(st.just(()), st.tuples(any_filter, optional), st.tuples(any_filter, optional))
    else:
        chosen = st.tuples(rules[focus], optional)
    return st.builds(
        bound(valid_case, spec.sort.grammar), pagings(spec, sample=sample), sorts(spec, sample=sample), chosen
    )


def can_match(spec: Spec, name: str, sample: Sample) -> bool:
    """Whether a filter's generated values can match anything: a relation filter needs known related ids (from
    ``--data``); with random ids its answer is empty whatever the server does, and so is that of any request
    it is added to, which then judges nothing."""
    return all(
        sample.of_related(clause.via.collection, clause.via.match)
        for clause in spec.filters[name].clauses
        if clause.via is not None
    )


def one_of_many(strategies: Sequence[st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of many prepared strategies, picked by index: nothing is built per draw, and the repr stays short."""
    return picked(strategies).flatmap(_itself)


def bound(function: Callable[..., T], *first: Any) -> Callable[..., T]:
    """``functools.partial`` with a short repr: Hypothesis prints builders, and a Spec's repr is the whole spec."""

    def bound(*rest: Any) -> T:
        return function(*first, *rest)

    bound.__qualname__ = function.__name__
    return bound


def _itself(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    return strategy


def unauthorized_cases(spec: Spec, *, sample: Sample, kinds: Iterable[Kind] = ("no_key",)) -> st.SearchStrategy[Case]:
    """Valid queries sent without a key (``no_key``) or with a wrong one (``wrong_key``)."""
    return st.builds(Case, st.sampled_from(sorted(kinds)), pagings(spec, sample=sample))


def pagings(spec: Spec, *, sample: Sample) -> st.SearchStrategy[Pairs]:
    """``limit`` and ``offset`` pairs, each optional; small limits and offsets near the data dominate."""
    names = spec.pagination
    low, high = _bounds(spec.parameters[names.limit])
    limit = st.one_of(st.none(), st.integers(low, min(high, SMALL_LIMIT)), st.integers(low, high))
    first, last = _bounds(spec.parameters[names.offset])
    near = st.integers(first, max(first, sample.total + SMALL_LIMIT))
    offset = st.one_of(st.none(), near, near, st.integers(first, last))
    return st.builds(
        lambda limit, offset: tuple(
            (name, str(value)) for name, value in ((names.limit, limit), (names.offset, offset)) if value is not None
        ),
        limit,
        offset,
    )


def sorts(spec: Spec, *, sample: Sample) -> st.SearchStrategy[tuple[SortKey, ...]]:
    """No ``sort`` at all, or one to three keys (a path may repeat: its first place counts).

    Two kinds of path are drawn more often than the rest: the third with the fewest distinct values in the
    data (their ties are where a wrong tie-breaker shows) and those some sampled items have no value at
    (where a server that sorts absent values last, or drops them, shows). Two requests in three carry a
    sort, as the default order (by a unique number) has no ties at all.
    """
    if not spec.sortable:
        return st.just(())  # the operation declares no sort: its order is the tie-breaker's
    written = given_sorts(spec, sample=sample)
    return st.one_of(st.just(()), written, written)


def given_sorts(spec: Spec, *, sample: Sample) -> st.SearchStrategy[tuple[SortKey, ...]]:
    """A ``sort`` that is always there: one to three keys, drawn as ``sorts`` describes (none where the
    operation declares no sort)."""
    if not spec.sortable:
        return st.just(())
    grammar = spec.sort.grammar
    fields = sorted(grammar.fields, key=lambda path: len(sample.of(path)))
    tied = fields[: max(1, len(fields) // 3)]
    missing = [path for path in fields if any(get_path(record, path) is None for record in sample.records)]
    path = st.one_of(st.sampled_from(tied), st.sampled_from(missing or fields), st.sampled_from(fields))
    key = st.builds(grammar.key, path, st.sampled_from(sorted(grammar.directions)))
    return st.lists(key, min_size=1, max_size=3).map(grammar.separator.join).map(grammar.read)  # typed keys


def filters(spec: Spec, rule: FilterRule, *, sample: Sample) -> st.SearchStrategy[Filter]:
    """One filter of ``rule``'s parameter, with values meant to match some of the data."""
    if rule.general:
        return general_filters(spec, rule.parameter, sample=sample)
    parameter = spec.parameters[rule.parameter]
    values = one_of_many([_raw_values(parameter, clause, sample) for clause in rule.clauses])
    return st.builds(bound(rule_filter, spec, rule), values, st.booleans())


def general_filters(
    spec: Spec,
    parameter: str,
    *,
    sample: Sample,
    types: Iterable[FieldType] | None = None,
    paths: Iterable[str] | None = None,
) -> st.SearchStrategy[Filter]:
    """A deep-object ``generalField`` filter: a field type, then one of its fields, an operator the type allows
    and a value of that type.

    The type is drawn first, each as often as the others: drawing the field first would spend most examples
    on the many string fields, and a run of 100 examples could send no date comparison at all. ``paths``
    narrows the fields (to those another filter of the request also reads, where filters meet).
    """
    by_type = []
    fields = set(spec.field_types) if paths is None else set(paths) & set(spec.field_types)
    wanted = {spec.field_types[path] for path in fields} & (
        set(spec.field_types.values()) if types is None else set(types)
    )
    for field_type in sorted(wanted):
        by_field = []
        for path in sorted(path for path in fields if spec.field_types[path] == field_type):
            by_operator = [
                st.builds(
                    bound(general_filter, spec, parameter, path, operator),
                    _general_value(spec, Clause(path, operator, field_type), sample),
                    st.sampled_from([None, field_type]),
                )
                for operator in _weighted_operators(spec.operators_by_type[field_type])
            ]
            by_field.append(one_of_many(by_operator))
        by_type.append(one_of_many(by_field))
    return one_of_many(by_type)


def _weighted_operators(operators: Iterable[str]) -> list[str]:
    """Each operator once, and ``ne``, ``nin`` and ``exists`` twice more (drawn three times as often): they
    alone treat missing values specially, where a server most often goes wrong."""
    ordered = sorted(operators, key=lambda operator: (operator not in MISSING_SENSITIVE, operator))
    return [*ordered, *(operator for operator in ordered if operator in MISSING_SENSITIVE for _ in range(2))]


def _general_value(spec: Spec, clause: Clause, sample: Sample) -> st.SearchStrategy[str]:
    single = (
        decimals(sample, clause)
        if clause.type == "number" and clause.operator != "exists"
        else values_for(sample, clause)
    )
    if clause.operator in LIST_OPERATORS:
        return st.lists(single, min_size=1, max_size=MAX_LIST).map(spec.wire.join_list)
    return single


def _raw_values(parameter: Parameter, clause: Clause, sample: Sample) -> st.SearchStrategy[list[str]]:
    """The values of one filter parameter: several for arrays and comma lists, else one."""
    single = values_for(sample, clause)
    if parameter.is_array or clause.operator in LIST_OPERATORS:
        return st.lists(single, min_size=1, max_size=MAX_LIST, unique=True)
    return single.map(lambda value: [value])


def rule_filter(spec: Spec, rule: FilterRule, values: list[str], repeated: bool) -> Filter:
    parameter = spec.parameters[rule.parameter]
    raw: str | list[str] = values if parameter.is_array else spec.wire.join_list(values)
    pairs = spec.wire.value_pairs(parameter, values, repeated=repeated)
    if not conforms(spec, parameter, raw):
        reject()
    try:
        return Filter(pairs, filter_condition(rule, raw))
    except ValueError:
        reject()


def general_filter(spec: Spec, parameter: str, path: str, operator: str, value: str, field_type: str | None) -> Filter:
    written = {"field": path, "operator": operator, "value": value}
    if field_type is not None:
        written["type"] = field_type
    if not conforms(spec, spec.parameters[parameter], written):
        reject()
    try:
        condition = general_condition(spec, parameter, path, operator, value, field_type)
    except ValueError:
        reject()
    return Filter(deep_pairs(parameter, written), condition)


def valid_case(grammar: SortGrammar, paging: Pairs, sort: tuple[SortKey, ...], chosen: Sequence[Filter | None]) -> Case:
    """The request; a second filter of the same parameter as the first is dropped (parameters are not repeated)."""
    unique = {each.condition.parameter: each for each in reversed(chosen) if each is not None}
    kept = list(reversed(unique.values()))
    query = paging + grammar.pairs(sort) + tuple(pair for each in kept for pair in each.pairs)
    return Case("valid", query, tuple(each.condition for each in kept), sort=sort)


def _bounds(parameter: Parameter) -> tuple[int, int]:
    allowed = bounds(parameter)
    return allowed.minimum, allowed.maximum
