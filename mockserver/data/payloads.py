"""Checking customer payloads against the spec, for ``mockserver validate``: every problem, not just the first.

A payload is one customer (a JSON object), several (an array), or a whole data file
(``{"customers": [...], "objects": [...]}``, checked exactly as the mock checks its data at start-up).
"""

from __future__ import annotations

from typing import Any

from customers_spec.datafile import (
    CUSTOMER,
    OBJECT,
    Collection,
    Problem,
    data_problems,
    is_data_document,
    split_document,
)
from customers_spec.model import Spec
from customers_spec.schemas import SchemaError

RECORDS = Collection(CUSTOMER, "$", "record")
ONE_RECORD = Collection(CUSTOMER, "$", "record", single=True)
NO_OBJECTS = Collection(OBJECT, "$.objects", "object")
JSON_TYPES = {str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def validate_payload(value: Any, spec: Spec) -> list[Problem]:
    """Every problem of ``value``, each naming its record index and JSON path (empty: valid)."""
    if is_data_document(value) and all(isinstance(part, list) for part in value.values()):
        customers, objects, collections = split_document(value, "payload")
        return list(data_problems(customers, objects, collections, spec))
    if isinstance(value, list):
        return list(data_problems(value, [], (RECORDS, NO_OBJECTS), spec))
    if isinstance(value, dict):
        return list(data_problems([value], [], (ONE_RECORD, NO_OBJECTS), spec))
    message = f"expected a customer (object) or customers (array), not {JSON_TYPES.get(type(value), 'null')}"
    return [Problem("record", None, SchemaError("$", message, "type"))]
