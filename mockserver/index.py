"""The store's indexes: what a query reads instead of the customers, built once at start-up.

Customers are numbered by *position*: their place in the order of the spec's tie-breaker (``_id`` ascending),
so "ties broken by ``_id``" is "ties broken by position", which every stable sort over positions gives for free.
A ``Column`` holds one path's typed values and answers eq/in/ne/nin/ranges/exists by bisection; a
``RelationIndex`` answers filters through another collection; text operators scan case-folded haystacks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from customers_spec.model import Clause, FieldType, Relation, SortKey, Spec
from customers_spec.values import get_path, record_value
from mockserver.dataset import Dataset

SEPARATOR = "\x00"  # joins the fields of a combined haystack; a needle containing it falls back to the fields
COMBINABLE = frozenset({"contains"})  # a needle inside any one field is inside the joined fields, and only then


@dataclass(frozen=True, slots=True)
class Selection:
    """A set of positions, or (``negated``) every position except these, so complements cost nothing."""

    positions: frozenset[int]
    negated: bool = False

    def __and__(self, other: Selection) -> Selection:
        if self.is_all() or other.is_none():  # shortcuts that copy no set
            return other
        if other.is_all() or self.is_none():
            return self
        if not self.negated and not other.negated:
            return Selection(self.positions & other.positions)
        if self.negated and other.negated:
            return Selection(self.positions | other.positions, negated=True)
        kept, dropped = (other, self) if self.negated else (self, other)
        return Selection(kept.positions - dropped.positions)

    def __or__(self, other: Selection) -> Selection:
        if self.is_none() or other.is_all():
            return other
        if other.is_none() or self.is_all():
            return self
        if not self.negated and not other.negated:
            return Selection(self.positions | other.positions)
        if self.negated and other.negated:
            return Selection(self.positions & other.positions, negated=True)
        added, excluded = (other, self) if self.negated else (self, other)
        return Selection(excluded.positions - added.positions, negated=True)

    def __contains__(self, position: object) -> bool:
        return (position in self.positions) != self.negated

    def count(self, size: int) -> int:
        """How many of ``size`` positions are selected."""
        return size - len(self.positions) if self.negated else len(self.positions)

    def is_all(self) -> bool:
        return self.negated and not self.positions

    def is_none(self) -> bool:
        return not self.negated and not self.positions

    def members(self, size: int) -> Iterable[int]:
        """The selected positions among ``range(size)`` (ascending when negated)."""
        if not self.negated:
            return self.positions
        return (position for position in range(size) if position not in self.positions)


ALL = Selection(frozenset(), negated=True)
NONE = Selection(frozenset())


def positions_selection(positions: Sequence[int], size: int, complement: Callable[[], Iterable[int]]) -> Selection:
    """``positions`` as a Selection, stored as its ``complement`` when that is the smaller of the two."""
    if 2 * len(positions) > size:
        return Selection(frozenset(complement()), negated=True)
    return Selection(frozenset(positions))


class Column:
    """One path's typed values by position, and the positions that have a value, sorted by (value, position)."""

    def __init__(self, field_type: FieldType, values: list[Any], ints: Sequence[int]) -> None:
        self.type = field_type
        self.values = values
        self.size = len(values)
        self._ints = ints
        positions = ints[: self.size]
        self.missing = [position for position in positions if values[position] is None]
        present = [position for position in positions if values[position] is not None]
        self.ascending = sorted(present, key=values.__getitem__)
        self._missing_set: frozenset[int] | None = None
        self._ranks: list[int] | None = None
        self._folded: list[str | None] | None = None

    @classmethod
    def of(cls, field_type: FieldType, stored: list[Any], ints: Sequence[int]) -> Column:
        """The column of a path's ``stored`` values; ``ints`` (0..len+1) are shared, so its lists cost pointers only."""
        values = [record_value(field_type, value) for value in stored] if field_type == "date" else stored
        return cls(field_type, values, ints)

    def _span(self, value: Any) -> tuple[int, int]:
        """Where ``value`` sits in ``ascending``: [first equal, first greater)."""
        key = self.values.__getitem__
        return bisect_left(self.ascending, value, key=key), bisect_right(self.ascending, value, key=key)

    def equal(self, values: Iterable[Any]) -> list[int]:
        """Positions whose value equals one of ``values`` (missing values equal nothing)."""
        found: list[int] = []
        for value in set(values):
            low, high = self._span(value)
            found.extend(self.ascending[low:high])
        return found

    def select(self, operator: str, value: Any) -> Selection:
        """The positions ``operator`` accepts (every operator but the text ones); missing values: ne/nin/exists."""
        if operator == "exists":
            missing = Selection(self.missing_set)
            return missing if not value else Selection(self.missing_set, negated=True)
        if operator in ("eq", "in", "ne", "nin"):
            wanted = value if operator in ("in", "nin") else (value,)
            equal = Selection(frozenset(self.equal(wanted)))
            return equal if operator in ("eq", "in") else Selection(equal.positions, negated=True)
        low, high = self._span(value)
        start, stop = {"gt": (high, None), "gte": (low, None), "lt": (0, low), "lte": (0, high)}[operator]
        chosen = self.ascending[start:stop]
        return positions_selection(chosen, self.size, lambda: self._outside(start, stop))

    def _outside(self, start: int, stop: int | None) -> list[int]:
        outside = self.ascending[:start] + self.missing
        return outside + self.ascending[stop:] if stop is not None else outside

    @property
    def missing_set(self) -> frozenset[int]:
        if self._missing_set is None:
            self._missing_set = frozenset(self.missing)
        return self._missing_set

    @property
    def ranks(self) -> list[int]:
        """Dense ranks by position: 0 without a value (missing sorts lowest), equal values equal ranks."""
        if self._ranks is None:
            ranks = [0] * self.size
            rank, previous = 0, None
            for position in self.ascending:
                value = self.values[position]
                if rank == 0 or value != previous:
                    rank, previous = rank + 1, value
                ranks[position] = self._ints[rank]
            self._ranks = ranks
        return self._ranks

    @property
    def folded(self) -> list[str | None]:
        """Case-folded strings by position (None without a string value), for the text operators."""
        if self._folded is None:
            self._folded = folded(self.values)
        return self._folded


def values_at(records: Sequence[dict[str, Any]], path: str) -> list[Any]:
    """``get_path`` of every record."""
    return values_by_path(records, [path])[path]


def values_by_path(records: Sequence[dict[str, Any]], paths: Iterable[str]) -> dict[str, list[Any]]:
    """``get_path`` of every record for every path, in one pass over the records: each record is read while it is
    in the CPU cache (four times faster than a pass per path at 100,000 customers)."""
    found: dict[str, list[Any]] = {path: [] for path in paths}
    top = [(path, found[path].append) for path in found if "." not in path]
    nested: dict[str, list[tuple[str, Callable[[Any], None]]]] = {}
    for path in found:
        if "." in path:
            outer, inner = path.split(".", 1)
            nested.setdefault(outer, []).append((inner, found[path].append))
    for record in records:
        for key, append in top:
            append(record.get(key))
        for outer, inners in nested.items():
            node = record.get(outer)
            for inner, append in inners:
                append(get_path(node, inner) if isinstance(node, dict) else None)
    return found


def folded(values: Iterable[Any]) -> list[str | None]:
    """Each string case-folded (``ß`` -> ``ss``), None for anything else: the text operators' haystack."""
    return [value.casefold() if isinstance(value, str) else None for value in values]


def combined_haystack(columns: Sequence[Column]) -> list[str | None]:
    """Per position the folded fields joined by SEPARATOR (None when none has a value): one scan, many fields."""
    return [
        None if all(text is None for text in texts) else SEPARATOR.join(text for text in texts if text is not None)
        for texts in zip(*(folded(column.values) for column in columns), strict=True)
    ]


class RelationIndex:
    """A filter through another collection: the related records' ``match`` column, and whose ``select`` they are."""

    def __init__(self, matches: Column, owners: list[tuple[int, ...]]) -> None:
        self.matches = matches
        self.owners = owners

    @classmethod
    def of(
        cls,
        clause: Clause,
        related: Sequence[dict[str, Any]],
        customers: Sequence[dict[str, Any]],
        ints: Sequence[int],
    ) -> RelationIndex:
        """``clause.via`` over ``related``; a related record belongs to the customers whose path value it selects."""
        via: Relation = clause.via  # type: ignore[assignment]
        grouped: dict[Any, list[int]] = {}
        for position, value in enumerate(values_at(customers, clause.path)):
            if value is not None:
                grouped.setdefault(value, []).append(ints[position])
        by_value = {value: tuple(positions) for value, positions in grouped.items()}  # one tuple per customer
        owners = [by_value.get(value, ()) for value in values_at(related, via.select)]
        return cls(Column.of(clause.type, values_at(related, via.match), ints), owners)

    def select(self, operator: str, value: Any) -> Selection:
        """Customers owning at least one related record whose ``match`` value the operator accepts."""
        matched = self.matches.select(operator, value).members(len(self.owners))
        return Selection(frozenset().union(*(self.owners[record] for record in matched)))


class CustomerIndex:
    """Every index over one dataset: a column per filterable path, relations, and combined haystacks."""

    def __init__(self, spec: Spec, dataset: Dataset) -> None:
        tie_breaker = spec.sort.tie_breaker
        self.records = in_tie_breaker_order(dataset.customers, tie_breaker, spec.field_types[tie_breaker.path])
        self.size = len(self.records)
        self.ints = list(range(max(self.size, len(dataset.objects)) + 2))  # shared int objects
        self.positions = self.ints[: self.size]
        stored = values_by_path(self.records, spec.field_types)
        self.columns = {path: Column.of(type_, stored[path], self.ints) for path, type_ in spec.field_types.items()}
        tie_column = self.columns[tie_breaker.path]
        self.unique_tie_breaker = not tie_column.missing and len(set(tie_column.values)) == self.size
        self._dataset = dataset
        self._relations: dict[tuple[str, str, Relation | None], RelationIndex] = {}
        self._haystacks: dict[frozenset[str], list[str | None]] = {}
        for rule in spec.filters.values():
            for clause in rule.clauses:
                if clause.via is not None:
                    self.relation(clause)
            texts = [c.path for c in rule.clauses if c.operator in COMBINABLE and c.via is None]
            if len(texts) > 1:
                self._haystacks[frozenset(texts)] = combined_haystack([self.columns[path] for path in texts])
            elif texts:  # folded now, before the workers fork, not on each worker's first such query
                self.columns[texts[0]].folded  # noqa: B018

    def column(self, path: str) -> Column:
        try:
            return self.columns[path]
        except KeyError:
            raise ValueError(f"'{path}' is not a filterable path") from None

    def relation(self, clause: Clause) -> RelationIndex:
        """The index of ``clause.via`` (built on first use for a relation the spec's filters do not declare)."""
        key = (clause.path, clause.type, clause.via)
        found = self._relations.get(key)
        if found is None:
            via: Relation = clause.via  # type: ignore[assignment]
            related = getattr(self._dataset, via.collection, None)
            if related is None:
                raise ValueError(f"the dataset has no collection '{via.collection}'")
            found = self._relations[key] = RelationIndex.of(clause, related, self.records, self.ints)
        return found

    def haystack(self, paths: frozenset[str]) -> list[str | None] | None:
        """The combined haystack of exactly these paths, if one was built (for the spec's multi-field filters)."""
        return self._haystacks.get(paths)


def in_tie_breaker_order(
    customers: Sequence[dict[str, Any]], tie_breaker: SortKey, field_type: FieldType
) -> list[dict[str, Any]]:
    """The customers sorted by the tie-breaker key (missing lowest), stably: their positions."""
    values = [record_value(field_type, value) for value in values_at(customers, tie_breaker.path)]
    if any(value is None for value in values):
        values = [(value is not None, value) for value in values]  # type: ignore[misc]
    order = sorted(range(len(customers)), key=values.__getitem__, reverse=tie_breaker.descending)
    return [customers[index] for index in order]
