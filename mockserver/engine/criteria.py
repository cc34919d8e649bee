"""What one request asks the store for, already parsed and validated against the spec."""

from __future__ import annotations

from dataclasses import dataclass

from customers_spec.model import SortKey
from customers_spec.terms import Condition


@dataclass(frozen=True)
class Criteria:
    """Filters (all must hold), the effective order (tie-breaker included) and the page window."""

    conditions: tuple[Condition, ...]
    sort: tuple[SortKey, ...]
    limit: int
    offset: int


@dataclass(frozen=True)
class Page:
    """One page of a query: how many customers matched in all, and the page as a serialized JSON array."""

    total: int
    count: int
    body: bytes
