"""A filter parameter's raw value turned into typed terms, as its ``x-filter`` extension says.

Both the mock and the contract kit start from these terms; each then decides on its own which customers
match them (``mockserver.engine.matchers`` with indexes, ``contract_tests.judging.oracle`` plainly), so each checks
the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from customers_spec.model import LIST_OPERATORS, Clause, FieldType, FilterRule, Spec
from customers_spec.values import parse_value
from customers_spec.wire import WireFormat


@dataclass(frozen=True)
class Term:
    """One clause with its typed value (a tuple of values for ``in``/``nin``, a bool for ``exists``)."""

    clause: Clause
    value: Any


@dataclass(frozen=True)
class Condition:
    """One filter of a request: a customer satisfies it when any of its terms matches."""

    parameter: str
    terms: tuple[Term, ...]


def filter_condition(rule: FilterRule, raw: str | Sequence[str]) -> Condition:
    """The condition of a (non-general) filter parameter; ValueError when a value does not parse."""
    terms = tuple(
        Term(clause, _typed(clause.type, clause.operator, raw, rule.wire))
        for clause in rule.clauses
        if not isinstance(raw, str) or clause.applies_to(raw)
    )
    return Condition(rule.parameter, terms)


def general_condition(
    spec: Spec, parameter: str, field: str, operator: str, value: str, type_: str | None = None
) -> Condition:
    """The condition of a ``generalField`` filter; ValueError names what the spec does not allow."""
    clause = spec.general_clause(field, operator, type_)  # type: ignore[arg-type]
    if operator == "exists":
        return Condition(parameter, (Term(clause, parse_value("boolean", value)),))
    return Condition(parameter, (Term(clause, _typed(clause.type, operator, value, spec.wire)),))


def _typed(field_type: FieldType, operator: str, raw: str | Sequence[str], wire: WireFormat) -> Any:
    if operator in LIST_OPERATORS:
        items = wire.split_list(raw) if isinstance(raw, str) else raw
        return tuple(parse_value(field_type, item) for item in items)
    if not isinstance(raw, str):
        raise ValueError(f"operator '{operator}' takes one value, not {len(raw)}")
    return parse_value(field_type, raw)
