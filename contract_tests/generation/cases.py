"""What the kit sends: a generated request (a ``Case``), kept apart from how it is sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from customers_spec.model import SortKey
from customers_spec.terms import Condition
from customers_spec.wire import Pairs, SortGrammar, base_name

# ``unknown``: a well-formed request for a record that does not exist (an item by an unknown id): a 404 problem
Kind = Literal["valid", "invalid", "no_key", "wrong_key", "unknown"]
Credentials = Literal["key", "none", "wrong"]
KINDS: tuple[Kind, ...] = ("valid", "invalid", "no_key", "wrong_key", "unknown")
CREDENTIALS: dict[Kind, Credentials] = {
    "valid": "key",
    "invalid": "key",
    "no_key": "none",
    "wrong_key": "wrong",
    "unknown": "key",
}


@dataclass(frozen=True)
class Filter:
    """One generated filter: the query pairs that carry it and the condition they stand for."""

    pairs: Pairs
    condition: Condition


@dataclass(frozen=True)
class Case:
    """One request: its kind (what answer the contract demands), its query, and what the query means.

    ``conditions`` are the request's filters as typed terms and ``sort`` its sort keys as written (a repeated
    path too), both known at generation time, so checks never parse the query back. ``invalid`` names the
    parameter made invalid in an ``invalid`` case.
    """

    kind: Kind
    query: Pairs = ()
    conditions: tuple[Condition, ...] = ()
    invalid: str = ""
    sort: tuple[SortKey, ...] = ()

    @property
    def credentials(self) -> Credentials:
        return CREDENTIALS[self.kind]

    def value(self, name: str) -> str | None:
        """The first value of a query parameter, or None when absent."""
        return next((value for key, value in self.query if key == name), None)

    def values(self, name: str) -> list[str]:
        """Every value of a query parameter as written, in order (a repeated parameter has several)."""
        return [value for key, value in self.query if key == name]

    def with_params(self, **params: str | int | None) -> Case:
        """This case with the given parameters set (None: removed), keeping every other parameter."""
        kept = tuple((key, value) for key, value in self.query if key not in params)
        added = tuple((key, str(value)) for key, value in params.items() if value is not None)
        return replace(self, query=kept + added)

    def with_filter(self, written: Filter) -> Case:
        """This case with the filter of ``written``'s parameter replaced by it (its pairs last in the query)."""
        name = written.condition.parameter
        conditions = (*(each for each in self.conditions if each.parameter != name), written.condition)
        query = (*((key, value) for key, value in self.query if base_name(key) != name), *written.pairs)
        return replace(self, query=query, conditions=conditions)

    def with_sort(self, grammar: SortGrammar, keys: Sequence[SortKey]) -> Case:
        """This case sorted by ``keys`` (none: the default order), written last in the query by ``grammar``."""
        kept = tuple((key, value) for key, value in self.query if key != grammar.parameter)
        return replace(self, query=kept + grammar.pairs(keys), sort=tuple(keys))
