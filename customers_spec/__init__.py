"""The OpenAPI document, loaded once and read by the mock and the contract kit alike: every operation it declares
(``load_api``), and its first list operation (``load_spec``: the shipped GET /v2/customers)."""

from __future__ import annotations

from customers_spec.api import Api, ItemSpec, Operation, OperationKind
from customers_spec.errors import ConfigError, DataError, KitError, SpecError
from customers_spec.loader import api_from_dict, from_dict, load_api, load_spec
from customers_spec.model import (
    Clause,
    Collection,
    FilterRule,
    Pagination,
    Parameter,
    Parent,
    Relation,
    SortKey,
    SortSpec,
    Spec,
)

__all__ = [
    "Api",
    "Clause",
    "Collection",
    "ConfigError",
    "DataError",
    "FilterRule",
    "ItemSpec",
    "KitError",
    "Operation",
    "OperationKind",
    "Pagination",
    "Parameter",
    "Parent",
    "Relation",
    "SortKey",
    "SortSpec",
    "Spec",
    "SpecError",
    "api_from_dict",
    "from_dict",
    "load_api",
    "load_spec",
]
