"""A request's conditions as boolean masks over positions: a condition holds when any of its terms does.

Terms on a relation or with eq/ne/gt/.../in/nin/exists are answered by the columns and relations; the text
operators (contains/startsWith/endsWith) by a column's text index, with the needle case-folded as the haystack
is. Every term is a vectorized operation over arrays, so a condition costs microseconds per thousand customers.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from customers_spec.model import TEXT_OPERATORS
from customers_spec.terms import Condition, Term
from mockserver.index import CustomerIndex, Mask


def term_mask(index: CustomerIndex, term: Term) -> Mask:
    """The positions one term accepts."""
    found = np.zeros(index.size, dtype=np.bool_)
    add_term(index, term, found)
    return found


def add_term(index: CustomerIndex, term: Term, found: Mask) -> None:
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


def condition_mask(index: CustomerIndex, condition: Condition) -> Mask:
    """The positions satisfying any term of ``condition``."""
    found = np.zeros(index.size, dtype=np.bool_)
    for term in condition.terms:
        add_term(index, term, found)
    return found


def conditions_mask(index: CustomerIndex, conditions: Iterable[Condition]) -> Mask | None:
    """The positions satisfying every condition; None when there is none (every position)."""
    selected: Mask | None = None
    for condition in conditions:
        mask = condition_mask(index, condition)
        if selected is None:
            selected = mask
        else:
            selected &= mask
    return selected
