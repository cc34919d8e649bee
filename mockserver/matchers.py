"""A request's conditions as plans over the indexes: what the indexes answer, and which text must be scanned.

A condition holds when any of its terms does. Terms on a relation or with eq/ne/gt/.../in/nin/exists are
answered by the indexes as a ``Selection``; contains/startsWith/endsWith scan case-folded text, either all of
it or only the candidates other conditions left. Terms of one condition that look for the same substring in
several fields scan one combined haystack instead of one per field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from customers_spec.model import TEXT_OPERATORS
from customers_spec.terms import Condition, Term
from mockserver.index import ALL, COMBINABLE, NONE, SEPARATOR, CustomerIndex, Selection


@dataclass(frozen=True)
class TextScan:
    """One text operator over a haystack: case-folded strings by position (None: no value, never matches)."""

    texts: Sequence[str | None]
    operator: str
    needle: str

    def scan(self, positions: Iterable[int]) -> list[int]:
        """The ``positions`` whose text the operator accepts, in the order given."""
        texts, needle = self.texts, self.needle
        if self.operator == "contains":
            return [p for p in positions if (text := texts[p]) is not None and needle in text]
        if self.operator == "startsWith":
            return [p for p in positions if (text := texts[p]) is not None and text.startswith(needle)]
        if self.operator == "endsWith":
            return [p for p in positions if (text := texts[p]) is not None and text.endswith(needle)]
        raise ValueError(f"'{self.operator}' is not a text operator")


@dataclass(frozen=True)
class ConditionPlan:
    """One condition: what its index-answerable terms select, or'ed with what its text scans find."""

    indexed: Selection
    scans: tuple[TextScan, ...]

    @property
    def needs_scan(self) -> bool:
        return bool(self.scans) and not self.indexed.is_all()

    def select(self, positions: Sequence[int]) -> Selection:
        """The condition over all ``positions`` (every position of the index)."""
        found = self.indexed
        for text_scan in self.scans:
            found = found | Selection(frozenset(text_scan.scan(positions)))
        return found

    def among(self, candidates: Iterable[int]) -> frozenset[int]:
        """The ``candidates`` that satisfy the condition (cheaper than ``select`` when they are few)."""
        candidates = list(candidates)
        found = {position for position in candidates if position in self.indexed}
        for text_scan in self.scans:
            found.update(text_scan.scan(candidates))
        return frozenset(found)


def plan(index: CustomerIndex, condition: Condition) -> ConditionPlan:
    """The plan of one condition over ``index``."""
    indexed = NONE
    texts: list[Term] = []
    for term in condition.terms:
        clause = term.clause
        if clause.operator in TEXT_OPERATORS and clause.via is None:
            texts.append(term)
        elif clause.via is not None:
            indexed = indexed | index.relation(clause).select(clause.operator, term.value)
        else:
            indexed = indexed | index.column(clause.path).select(clause.operator, term.value)
    return ConditionPlan(indexed, text_scans(index, texts))


def text_scans(index: CustomerIndex, terms: Sequence[Term]) -> tuple[TextScan, ...]:
    """One scan per text term, except that terms seeking one needle in several fields share a haystack."""
    scans: list[TextScan] = []
    by_needle: dict[tuple[str, str], list[Term]] = {}
    for term in terms:
        if not isinstance(term.value, str):
            raise ValueError(f"'{term.clause.operator}' needs a string, not {term.value!r}")
        by_needle.setdefault((term.clause.operator, term.value.casefold()), []).append(term)
    for (operator, needle), group in by_needle.items():
        paths = frozenset(term.clause.path for term in group)
        haystack = index.haystack(paths) if operator in COMBINABLE and SEPARATOR not in needle else None
        if haystack is not None:
            scans.append(TextScan(haystack, operator, needle))
        else:
            scans.extend(TextScan(index.column(path).folded, operator, needle) for path in sorted(paths))
    return tuple(scans)


def plan_all(index: CustomerIndex, conditions: Iterable[Condition]) -> tuple[Selection, list[ConditionPlan]]:
    """What the index-only conditions select together, and the plans that still need a text scan."""
    selected = ALL
    scanning: list[ConditionPlan] = []
    for condition in conditions:
        condition_plan = plan(index, condition)
        if condition_plan.needs_scan:
            scanning.append(condition_plan)
        else:
            selected = selected & condition_plan.indexed
    return selected, scanning
