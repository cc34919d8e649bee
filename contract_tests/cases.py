"""What the kit sends: a generated request (a ``Case``), kept apart from how it is sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from customers_spec.terms import Condition
from customers_spec.wire import Pairs

Kind = Literal["valid", "invalid", "no_key", "wrong_key"]
Credentials = Literal["key", "none", "wrong"]
KINDS: tuple[Kind, ...] = ("valid", "invalid", "no_key", "wrong_key")
CREDENTIALS: dict[Kind, Credentials] = {"valid": "key", "invalid": "key", "no_key": "none", "wrong_key": "wrong"}


@dataclass(frozen=True)
class Filter:
    """One generated filter: the query pairs that carry it and the condition they stand for."""

    pairs: Pairs
    condition: Condition


@dataclass(frozen=True)
class Case:
    """One request: its kind (what answer the contract demands), its query, and the filters it carries.

    ``conditions`` are the request's filters as typed terms, known at generation time, so checks never
    parse the query back. ``invalid`` names the parameter made invalid in an ``invalid`` case.
    """

    kind: Kind
    query: Pairs = ()
    conditions: tuple[Condition, ...] = ()
    invalid: str = ""

    @property
    def credentials(self) -> Credentials:
        return CREDENTIALS[self.kind]

    def value(self, name: str) -> str | None:
        """The first value of a query parameter, or None when absent."""
        return next((value for key, value in self.query if key == name), None)

    def values(self, name: str, *, separator: str) -> list[str]:
        """Every value of a repeated or list-valued parameter, in order (``separator``: the spec's list separator)."""
        return [part for key, value in self.query if key == name for part in value.split(separator)]

    def with_params(self, **params: str | int | None) -> Case:
        """This case with the given parameters set (None: removed), keeping every other parameter."""
        kept = tuple((key, value) for key, value in self.query if key not in params)
        added = tuple((key, str(value)) for key, value in params.items() if value is not None)
        return replace(self, query=kept + added)

    def with_filter(self, name: str, values: Sequence[str], condition: Condition, *, separator: str) -> Case:
        """This case with one filter parameter replaced by ``values`` (joined by ``separator``) and its condition."""
        conditions = (*(each for each in self.conditions if each.parameter != name), condition)
        query = (*((key, value) for key, value in self.query if key != name), (name, separator.join(values)))
        return replace(self, query=query, conditions=conditions)
