"""The OpenAPI document of GET /v2/customers, loaded once and read by the mock and the contract kit alike."""

from __future__ import annotations

from customers_spec.errors import ConfigError, DataError, KitError, SpecError
from customers_spec.loader import from_dict, load_spec
from customers_spec.model import (
    Clause,
    FilterRule,
    Pagination,
    Parameter,
    Relation,
    SortKey,
    SortSpec,
    Spec,
)

__all__ = [
    "Clause",
    "ConfigError",
    "DataError",
    "FilterRule",
    "KitError",
    "Pagination",
    "Parameter",
    "Relation",
    "SortKey",
    "SortSpec",
    "Spec",
    "SpecError",
    "from_dict",
    "load_spec",
]
