"""The finished index of one dataset: what a query reads instead of the customers.

Columns answer a path's operators, relation indexes answer filters through another collection, and combined
text indexes answer one needle sought in several fields at once. It is assembled by ``mockserver.startup`` and
only read here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from customers_spec.model import Clause, Relation
from mockserver.engine.columns import Column, Mask, Positions
from mockserver.engine.textindex import TextIndex

RelationKey = tuple[str, str, Relation | None]


COMBINABLE = "contains"  # a needle inside any one field is inside the joined fields (and only then)


class RelationIndex:
    """A filter through another collection: the related records' ``match`` column, and the customers each
    related record belongs to (``owners``, flattened, ``counts`` per related record)."""

    def __init__(self, matches: Column, owners: Positions, counts: npt.NDArray[np.int64], size: int) -> None:
        self.matches = matches
        self.owners = owners
        self.counts = counts
        self.size = size

    def select(self, operator: str, value: Any) -> Mask:
        """Customers owning at least one related record whose ``match`` value the operator accepts."""
        matched = self.matches.select(operator, value)
        found = np.zeros(self.size, dtype=np.bool_)
        found[self.owners[np.repeat(matched, self.counts)]] = True
        return found


class CollectionIndex:
    """Every index over one dataset, finished: a column per filterable path, the relations the spec's filters
    use, and the text index of the fields that one needle is sought in together. The customers themselves are
    not kept, so that the workers fork from a master holding arrays only."""

    def __init__(
        self,
        columns: dict[str, Column],
        relations: dict[RelationKey, RelationIndex],
        combined: dict[frozenset[str], TextIndex],
        size: int,
        unique_tie_breaker: bool,
    ) -> None:
        self.columns = columns
        self.size = size
        self.unique_tie_breaker = unique_tie_breaker
        self._relations = relations
        self._combined = combined

    def column(self, path: str) -> Column:
        try:
            return self.columns[path]
        except KeyError:
            raise ValueError(f"'{path}' is not a filterable path") from None

    def combined(self, paths: frozenset[str]) -> TextIndex | None:
        """The text index of these fields joined by NUL per customer (its strings are positions), if built: a
        needle without NUL is in one of the fields exactly when it is in their joined text."""
        return self._combined.get(paths)

    def relation(self, clause: Clause) -> RelationIndex:
        """The index of ``clause.via``: every relation the spec's filters declare is built at start-up."""
        found = self._relations.get(relation_key(clause))
        if found is None:
            raise ValueError(f"no index for the relation of '{clause.path}' ({clause.via})")
        return found


def relation_key(clause: Clause) -> RelationKey:
    """What tells relations apart: the customer path they start from, the type compared and the relation."""
    return clause.path, clause.type, clause.via
