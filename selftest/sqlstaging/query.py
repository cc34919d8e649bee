"""A request's filters, order and page as SQL over the staging's tables (``tables``), by one ``Reading``.

Every filter is a ``WHERE`` conjunct (filters combine with AND), a filter's terms are OR-ed (any clause), a
relation term is a sub-select of the related table, the order is ``ORDER BY`` the sort's columns, the page is
``LIMIT``/``OFFSET``, and the total is ``count(*)`` under the same ``WHERE``. Nothing is decided in Python: the
values are bound as their columns hold them (``tables.stored``), and the database compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from customers_spec.model import SortKey, Spec
from customers_spec.terms import Condition, Term
from selftest.sqlstaging.readings import CORRECT, Reading, Sql
from selftest.sqlstaging.tables import (
    CUSTOMERS,
    KEY,
    Layout,
    folded_column,
    instant,
    related_column,
    relation_table,
    value_column,
)


@dataclass(frozen=True)
class Request:
    """What a valid request asks: its filters, its sort keys as written, and its page."""

    conditions: tuple[Condition, ...]
    sort: tuple[SortKey, ...]
    limit: int
    offset: int


def bound(value: Any) -> Any:
    """A typed query value as the columns hold values: an instant as microseconds, a boolean as 0/1."""
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, bool):
        return int(value)
    return value


class Compiler:
    """SQL for one spec's requests, by ``reading``."""

    def __init__(self, spec: Spec, layout: Layout, reading: Reading = CORRECT) -> None:
        self.spec, self.layout, self.reading = spec, layout, reading

    def where(self, conditions: Sequence[Condition]) -> Sql:
        """The ``WHERE`` of a request (``1`` without filters)."""
        parts, params = [], []
        for condition in conditions:
            ors = []
            for term in self.reading.terms(condition):
                sql, values = self.term(term)
                ors.append(f"({sql})")
                params += values
            parts.append(f"({' OR '.join(ors)})" if ors else "0")
        return (" AND ".join(parts) or "1"), params

    def term(self, term: Term) -> Sql:
        clause = term.clause
        if clause.via is not None:
            via = clause.via
            inner, params = self.test(clause.operator, clause.type, related_column(via.match), "", term.value)
            table = relation_table(via.collection)
            select = f"SELECT {related_column(via.select)} FROM {table} WHERE {inner}"
            return f"{value_column(clause.path)} IN ({select})", params
        folded = folded_column(clause.path) if clause.type == "string" else ""
        return self.test(clause.operator, clause.type, value_column(clause.path), folded, term.value)

    def test(self, operator: str, field_type: str, column: str, folded: str, value: Any) -> Sql:
        """One operator on one column (``x-operators``)."""
        if operator == "exists":
            return f"{column} IS {'NOT ' if value else ''}NULL", []
        values = list(value) if isinstance(value, tuple) else [value]
        if field_type == "string":
            values = [self.reading.string(each) for each in values]
        if operator in ("contains", "startsWith", "endsWith"):
            return self.reading.text(operator, column, folded, values[0])
        return self.reading.compare(operator, column, [bound(each) for each in values])

    def order_by(self, written: tuple[SortKey, ...]) -> str:
        keys = self.reading.order_keys(self.spec.sort, written)
        return ", ".join(
            f"{value_column(key.path)} {'DESC' if key.descending else 'ASC'}{self.reading.nulls(key.descending)}"
            for key in keys
        )

    def page(self, request: Request) -> Sql:
        """The page's customers' ids, in order."""
        where, params = self.where(request.conditions)
        order = self.order_by(request.sort)
        sql = f"SELECT {value_column(KEY)} FROM {CUSTOMERS} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
        return sql, [*params, request.limit, self.reading.offset(request.offset)]

    def total(self, request: Request) -> Sql:
        """How many customers match in all."""
        where, params = self.where(request.conditions) if self.reading.total_filtered else ("1", [])
        return f"SELECT count(*) FROM {CUSTOMERS} WHERE {where}", params
