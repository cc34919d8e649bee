"""Whether a written value is one the spec allows for its parameter: the one test both generators (valid and
invalid requests), the reader of observed requests and the checks' variants rely on."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from customers_spec.model import Parameter, Spec
from customers_spec.schemas import SchemaValidator, schema_for_value
from customers_spec.values import INTEGER


def conforms(spec: Spec, parameter: Parameter, raw: Any) -> bool:
    """Whether a value, read as its schema's type (query text is untyped), is valid for the parameter."""
    schema = parameter.schema
    if schema.get("type") == "integer" and isinstance(raw, str) and INTEGER.fullmatch(raw):
        raw = int(raw)
    return _validator(spec, parameter.name).is_valid(raw)


@lru_cache(maxsize=64)
def _validator(spec: Spec, name: str) -> SchemaValidator:
    return schema_for_value(spec, spec.parameters[name].schema)
