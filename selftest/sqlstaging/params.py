"""A request's query read as the spec declares its parameters: a ``Request``, or every invalid parameter.

Written for this staging from the spec's parameter list: a name the operation does not declare is refused, a
parameter given twice that is no array is refused, a value must satisfy its parameter's schema (integers read
as ASCII digits first), and then mean something (a sortable path, a value of the field's type, an operator the
type allows: ``customers_spec.terms`` reads the typed terms, and its ``ValueError`` becomes the reason). The
deep object ``generalField`` is read key by key (``generalField[field]``) and validated whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from customers_spec.model import Parameter, Spec
from customers_spec.schemas import SchemaValidator, schema_for_value
from customers_spec.suggestions import closest
from customers_spec.terms import Condition, filter_condition, general_condition
from customers_spec.values import INTEGER
from customers_spec.wire import Pairs, deep_name, split_deep_name
from selftest.sqlstaging.query import Request

MAX_DIGITS = 30  # an integer longer than this is out of every range the spec has


@dataclass(frozen=True)
class Invalid:
    """One invalid parameter, as the spec's ``InvalidParameter``."""

    name: str
    reason: str
    suggestion: str | None = None

    def as_json(self) -> dict[str, str]:
        body = {"name": self.name, "in": "query", "reason": self.reason}
        return body if self.suggestion is None else {**body, "suggestion": self.suggestion}


class BadRequest(Exception):
    """The request's invalid parameters, all of them."""

    def __init__(self, errors: Sequence[Invalid]) -> None:
        super().__init__(f"{len(errors)} invalid parameters")
        self.errors = tuple(errors)


class QueryReader:
    """Reads the query strings of one spec's operation."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.parameters = {name: p for name, p in spec.parameters.items() if p.location == "query"}
        names = spec.pagination
        self.limit_name, self.offset_name = names.limit, names.offset

    @cached_property
    def validators(self) -> dict[str, SchemaValidator]:
        return {name: schema_for_value(self.spec, p.schema) for name, p in self.parameters.items()}

    @cached_property
    def documented(self) -> tuple[str, ...]:
        names: list[str] = []
        for name, parameter in self.parameters.items():
            keys = parameter.schema.get("properties", {}) if parameter.is_deep_object else ()
            names += [deep_name(name, key) for key in keys] or [name]
        return tuple(names)

    def read(self, pairs: Pairs) -> Request:
        """The request of ``pairs``; BadRequest names every invalid parameter."""
        plain: dict[str, list[str]] = {}
        deep: dict[str, dict[str, list[str]]] = {}
        errors: list[Invalid] = []
        for name, value in pairs:
            owner, key = split_deep_name(name)
            parameter = self.parameters.get(owner)
            if parameter is None:
                errors.append(Invalid(name, "is not a parameter of this operation", closest(name, self.documented)))
            elif parameter.is_deep_object and key is not None and key in parameter.schema.get("properties", {}):
                deep.setdefault(owner, {}).setdefault(key, []).append(value)
            elif parameter.is_deep_object or key is not None:
                errors.append(Invalid(name, f"is not a parameter of this operation; write {owner}[key]=value"))
            else:
                plain.setdefault(name, []).append(value)
        values: dict[str, Any] = {}
        for name, raws in plain.items():
            try:
                values[name] = self._plain(self.parameters[name], raws)
            except ValueError as exc:
                errors.append(Invalid(name, str(exc)))
        conditions: list[Condition | None] = [value for value in values.values() if isinstance(value, Condition)]
        for name, keys in deep.items():
            try:
                conditions.append(self._deep(self.parameters[name], keys))
            except _KeyError as exc:
                errors.append(Invalid(deep_name(name, exc.key), exc.reason))
        if errors:
            raise BadRequest(errors)
        sort = self.spec.sort
        return Request(
            conditions=tuple(condition for condition in conditions if condition is not None),
            sort=values.get(sort.parameter, ()),
            limit=values.get(self.limit_name, self.parameters[self.limit_name].default),
            offset=values.get(self.offset_name, self.parameters[self.offset_name].default or 0),
        )

    def _plain(self, parameter: Parameter, raws: list[str]) -> Any:
        """A plain parameter's value: checked against its schema, then read for its meaning."""
        if parameter.is_array:
            written: Any = self.spec.wire.array_items(parameter, raws)
        elif len(raws) > 1:
            raise ValueError(f"must be given once, got {len(raws)} values")
        else:
            written = raws[0]
        instance = _integer(written) if parameter.schema.get("type") == "integer" else written
        self._check(parameter.name, instance)
        if parameter.name == self.spec.sort.parameter:
            return self.spec.sort.parse(written)
        rule = self.spec.filters.get(parameter.name)
        if rule is not None:
            return filter_condition(rule, written)  # the terms read the text as written
        return instance

    def _check(self, name: str, instance: Any) -> None:
        for error in self.validators[name].iter_errors(instance):
            raise ValueError(error.human or error.message)

    def _deep(self, parameter: Parameter, keys: dict[str, list[str]]) -> Condition | None:
        written = {}
        for key, raws in keys.items():
            if len(raws) > 1:
                raise _KeyError(key, f"must be given once, got {len(raws)} values")
            written[key] = raws[0]
        together: dict[str, list[str]] = parameter.schema.get("dependentRequired", {})
        for key in written:
            for needed in together.get(key, ()):
                if needed not in written:
                    raise _KeyError(needed, f"is missing; it goes with {deep_name(parameter.name, key)}")
        if "field" not in written:
            return None
        field, operator, type_ = written["field"], written["operator"], written.get("type")
        try:
            self.spec.general_clause(field, operator, type_)  # type: ignore[arg-type]
        except ValueError as exc:
            declared = self.spec.field_types.get(field)
            key = "field" if declared is None else "type" if type_ not in (None, declared) else "operator"
            raise _KeyError(key, str(exc)) from None
        try:
            condition = general_condition(self.spec, parameter.name, field, operator, written["value"], type_)
        except ValueError as exc:
            raise _KeyError("value", str(exc)) from None
        for error in self.validators[parameter.name].iter_errors(written):
            # The field, operator and type passed above: what the schema still refuses is the value.
            raise _KeyError("value", error.human or error.message)
        return condition


class _KeyError(Exception):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason


def _integer(raw: str) -> int:
    if not INTEGER.fullmatch(raw):
        raise ValueError(f"must be an integer, got {raw[:40]!r}")
    if len(raw.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"is out of range: a number of {len(raw)} digits")
    return int(raw)
