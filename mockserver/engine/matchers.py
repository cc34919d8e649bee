"""A request's conditions as boolean masks over positions: a condition holds when any of its terms does.

Terms on a relation or with eq/ne/gt/.../in/nin/exists are answered by the columns and relations; the text
operators (contains/startsWith/endsWith) by a column's text index, with the needle case-folded as the haystack
is. Every term is a vectorized operation over arrays, so a condition costs microseconds per thousand customers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from customers_spec.model import TEXT_OPERATORS
from customers_spec.terms import Condition, Term
from mockserver.engine.columns import Mask
from mockserver.engine.index import COMBINABLE, CollectionIndex
from mockserver.engine.textindex import SEPARATOR


def term_mask(index: CollectionIndex, term: Term) -> Mask:
    """The positions one term accepts."""
    found = np.zeros(index.size, dtype=np.bool_)
    add_term(index, term, found)
    return found


def add_term(index: CollectionIndex, term: Term, found: Mask) -> None:
    """Mark in ``found`` the positions ``term`` accepts (text terms mark only their matches)."""
    clause = term.clause
    if clause.via is not None:
        found |= index.relation(clause).select(clause.operator, term.value)
    elif clause.operator in TEXT_OPERATORS:
        if not isinstance(term.value, str):
            raise ValueError(f"'{clause.operator}' needs a string, not {term.value!r}")
        index.column(clause.path).search(clause.operator, term.value.casefold(), found)
    else:
        found |= index.column(clause.path).select(clause.operator, term.value)


def condition_mask(index: CollectionIndex, condition: Condition) -> Mask:
    """The positions satisfying any term of ``condition``; the terms seeking one needle in several fields search
    those fields' combined index once, where the index has one."""
    found = np.zeros(index.size, dtype=np.bool_)
    for term in _search_combined(index, condition.terms, found):
        add_term(index, term, found)
    return found


def _search_combined(index: CollectionIndex, terms: Sequence[Term], found: Mask) -> list[Term]:
    """Mark the matches of the terms a combined index answers; the other terms, to be answered one by one."""
    by_needle: dict[str, list[Term]] = {}
    for term in terms:
        clause = term.clause
        if clause.operator == COMBINABLE and clause.via is None and isinstance(term.value, str):
            by_needle.setdefault(term.value.casefold(), []).append(term)
    answered: set[int] = set()
    for needle, group in by_needle.items():
        combined = index.combined(frozenset(term.clause.path for term in group)) if len(group) > 1 else None
        if combined is not None and needle and SEPARATOR not in needle:
            found[combined.owners_matching(COMBINABLE, needle)] = True
            answered.update(id(term) for term in group)
    return [term for term in terms if id(term) not in answered]


def conditions_mask(index: CollectionIndex, conditions: Iterable[Condition]) -> Mask | None:
    """The positions satisfying every condition; None when there is none (every position)."""
    selected: Mask | None = None
    for condition in conditions:
        mask = condition_mask(index, condition)
        if selected is None:
            selected = mask
        else:
            selected &= mask
    return selected
