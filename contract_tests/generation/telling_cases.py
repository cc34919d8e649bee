"""The requests of the ``telling values`` area: each telling draw once, and each sort a misreading reorders.

A random run may never draw the one value on which a misreading shows, and a seeded run never would: so a run
sends, first, one filter per telling draw of ``generation.telling`` (its value made from a stored one, in the
first parameter whose clause it tells for) and one sort per sort telling (on the sortable path the sample shows
it best). ``docs/misreadings.yaml`` names these draws; ``tests/selftest/test_misreadings.py`` proves each tells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from contract_tests.generation.cases import Filter
from contract_tests.generation.conformance import conforms
from contract_tests.generation.sample import Sample
from contract_tests.generation.telling import TELLINGS, Telling
from customers_spec.model import Clause, SortKey, Spec
from customers_spec.terms import filter_condition, general_condition
from customers_spec.values import get_path
from customers_spec.wire import deep_pairs


def telling_filters(spec: Spec, sample: Sample) -> list[Filter]:
    """One filter per telling draw, its value made from a stored value (the middle one it can use): in the first
    plain filter parameter with a clause it tells for, else in the general filter's first field (one some sampled
    customers lack first) and operator.
    A run sends each (the ``telling values`` area), so no misreading hangs on a random draw; ``operator_witnesses``
    then asks the same value with every operator of the type."""
    found: list[Filter] = []
    for telling in TELLINGS:
        made = next((each for each in _candidates(spec, sample, telling) if each is not None), None)
        if made is not None:
            found.append(made)
    return found


def _candidates(spec: Spec, sample: Sample, telling: Telling) -> Iterator[Filter | None]:
    plain = sorted((name, rule) for name, rule in spec.filters.items() if not rule.general)
    for name, rule in plain:
        parameter = spec.parameters[name]
        for clause in rule.clauses:
            raw = _middle(sample, clause, telling) if clause.via is None and telling.applies(clause) else None
            if raw is None or not conforms(spec, parameter, [raw] if parameter.is_array else raw):
                continue
            try:
                condition = filter_condition(rule, [raw] if parameter.is_array else raw)
            except ValueError:
                continue
            if any(term.clause == clause for term in condition.terms):
                yield Filter(spec.wire.value_pairs(parameter, [raw]), condition)
    lacking = {path for path in spec.field_types if any(get_path(item, path) is None for item in sample.records)}
    fields = sorted(spec.field_types.items(), key=lambda each: (each[0] not in lacking, each[0]))
    for name in sorted(name for name, rule in spec.filters.items() if rule.general):
        for path, field_type in fields:  # fields some customers have no value at first: there ne and nin differ
            for operator in sorted(spec.operators_by_type[field_type]):
                clause = Clause(path, operator, field_type)
                raw = _middle(sample, clause, telling) if telling.applies(clause) else None
                written = {"field": path, "operator": operator, "value": raw or ""}
                if raw is None or not conforms(spec, spec.parameters[name], written):
                    continue
                try:
                    yield Filter(deep_pairs(name, written), general_condition(spec, name, path, operator, raw))
                except ValueError:
                    continue


def _middle(sample: Sample, clause: Clause, telling: Telling) -> str | None:
    found = [made for value in sample.of(clause.path) if (made := telling.make(value, 0)) is not None]
    return found[len(found) // 2] if found else None


@dataclass(frozen=True)
class SortTelling:
    """A sort whose order a misreading of ``sort`` gets wrong, on the sortable path of ``types`` that the sample
    shows it best on (``rank``: the higher the better; 0: it shows nothing there)."""

    name: str
    types: frozenset[str]
    rank: Callable[[Sample, str], int]


def _lacking(sample: Sample, path: str) -> int:
    """How many sampled customers have no value at ``path`` (where a misreading of "no value first" shows)."""
    return sum(get_path(record, path) is None for record in sample.records)


def _cased(sample: Sample, path: str) -> int:
    """How many values at ``path`` mix lower-case letters with upper-case ones past the first, or letters beyond
    ASCII: where code-point order and a locale's collation part (``ABC`` before ``Abb``, ``Ä`` after ``z``)."""
    return sum(
        isinstance(value, str)
        and any(char.islower() for char in value)
        and (any(char.isupper() for char in value[1:]) or not value.isascii())
        for value in sample.of(path)
    )


SORT_TELLINGS: tuple[SortTelling, ...] = (
    SortTelling("sort_on_missing", frozenset({"string", "number", "date", "objectid"}), _lacking),
    SortTelling("sort_on_mixed_case", frozenset({"string"}), _cased),
)
SORT_BY_NAME = {telling.name: telling for telling in SORT_TELLINGS}


def telling_sorts(spec: Spec, sample: Sample) -> list[tuple[SortKey, ...]]:
    """One ascending sort per sort telling (``telling_sort``), each sort once."""
    found: list[tuple[SortKey, ...]] = []
    for telling in SORT_TELLINGS:
        keys = telling_sort(spec, sample, telling)
        if keys is not None and keys not in found:
            found.append(keys)
    return found


def telling_sort(spec: Spec, sample: Sample, telling: SortTelling) -> tuple[SortKey, ...] | None:
    """An ascending sort on the sortable path of the telling's types that shows it best (None: none shows it)."""
    grammar = spec.sort.grammar
    paths = [path for path in grammar.fields if spec.field_types.get(path) in telling.types]
    best = max(paths, key=lambda path: (telling.rank(sample, path), path), default=None)
    if best is None or telling.rank(sample, best) == 0:
        return None
    return grammar.read(grammar.key(best, grammar.direction(False)))
