"""A request's query string checked against the spec's parameters and turned into the store's Criteria.

Everything the spec says is read once, when the parser is built: each parameter gets a reader (how its raw
strings become a value) and a compiled JSON Schema validator (``reasons.CheckedSchema``). A request pays only
for the parameters it sends, and every violation is collected, so one 400 names them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from customers_spec.model import Parameter, Spec
from customers_spec.suggestions import closest
from customers_spec.terms import Condition, filter_condition, general_condition
from customers_spec.values import INTEGER
from customers_spec.wire import Pairs, deep_name, split_deep_name
from mockserver.engine.criteria import Criteria
from mockserver.http.problems import InvalidParameter, InvalidRequest
from mockserver.http.reasons import CheckedSchema, InvalidValue, clipped, shown

_MAX_INTEGER_DIGITS = 30  # far beyond any bound in the spec, far below Python's int parsing limit


def _integer(schema: dict[str, Any], raw: str) -> int:
    if not INTEGER.fullmatch(raw):
        raise InvalidValue(f"must be an integer, got {shown(raw)}")
    if len(raw.lstrip("-")) > _MAX_INTEGER_DIGITS:
        bound = f"at least {schema.get('minimum')}" if raw.startswith("-") else f"at most {schema.get('maximum')}"
        raise InvalidValue(f"must be {bound}, got a number of {len(raw)} digits")
    return int(raw)


def _semantic(interpret: Callable[[Any], Any], value: Any) -> Any:
    try:
        return interpret(value)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None


class _Reader:
    """How one parameter's raw strings become its value: shape, then meaning, then the schema's bounds."""

    def __init__(self, spec: Spec, parameter: Parameter, interpret: Callable[[Any], Any], *, takes_raw: bool) -> None:
        self.parameter = parameter
        self._wire = spec.wire
        self._interpret = interpret
        self._takes_raw = takes_raw  # filters and sort read the written text, page bounds the number
        self._checked = CheckedSchema(spec, parameter.schema)
        self._is_integer = parameter.schema.get("type") == "integer"

    def read(self, raws: list[str]) -> Any:
        if self.parameter.is_array:
            items = self._wire.array_items(self.parameter, raws)
            value = _semantic(self._interpret, items)
            self._checked.check(items)
            return value
        if len(raws) > 1:
            raise InvalidValue(f"must be given at most once, got {len(raws)} values")
        raw = raws[0]
        instance = _integer(self.parameter.schema, raw) if self._is_integer else raw
        value = _semantic(self._interpret, raw if self._takes_raw else instance)
        self._checked.check(instance)
        return value


class _DeepReader:
    """A deep-object parameter (``generalField[field]=…``): its keys, which go together, and its meaning."""

    def __init__(self, spec: Spec, parameter: Parameter) -> None:
        self.parameter = parameter
        self._spec = spec
        self.keys = tuple(parameter.schema.get("properties", {}))
        self._together: dict[str, list[str]] = parameter.schema.get("dependentRequired", {})
        self._checked = CheckedSchema(spec, parameter.schema)

    def key_name(self, key: str) -> str:
        return deep_name(self.parameter.name, key)

    def read(self, raws: dict[str, list[str]]) -> tuple[Condition | None, list[InvalidParameter]]:
        errors = [
            InvalidParameter(self.key_name(key), f"must be given at most once, got {len(values)} values")
            for key, values in raws.items()
            if len(values) > 1
        ]
        written = {key: values[0] for key, values in raws.items()}
        errors += self._missing(written)
        if errors:
            return None, errors
        try:
            condition = self._condition(written)
            self._checked.check(written)
        except InvalidValue as exc:
            return None, [InvalidParameter(self.key_name(exc.key or "value"), clipped(exc.reason))]
        return condition, []

    def _missing(self, written: dict[str, str]) -> list[InvalidParameter]:
        needed = {other for key in written for other in self._together.get(key, ()) if other not in written}
        given = ", ".join(self.key_name(key) for key in written)
        return [
            InvalidParameter(self.key_name(key), f"is missing; it must be given together with {given}")
            for key in sorted(needed, key=self.keys.index)
        ]

    def _condition(self, written: dict[str, str]) -> Condition | None:
        """The filter, with each ValueError of ``general_condition`` pinned on the key it is about."""
        if "field" not in written:
            return None
        field, operator, value, type_ = written["field"], written["operator"], written["value"], written.get("type")
        try:
            self._spec.general_clause(field, operator, type_)  # type: ignore[arg-type]
        except ValueError as exc:
            declared = self._spec.field_types.get(field)
            key = "field" if declared is None else "type" if type_ not in (None, declared) else "operator"
            raise InvalidValue(str(exc), key) from None
        try:
            return general_condition(self._spec, self.parameter.name, field, operator, value, type_)
        except ValueError as exc:
            raise InvalidValue(str(exc), "value") from None


class QueryParser:
    """Parses query strings for one spec; build it once at start-up and share it."""

    def __init__(self, spec: Spec, *, lenient: bool = False) -> None:
        self._spec = spec
        self._lenient = lenient
        pagination = spec.pagination
        self._limit_name, self._offset_name = pagination.limit, pagination.offset
        self._readers: dict[str, _Reader] = {}
        self._deep: dict[str, _DeepReader] = {}
        for name, parameter in spec.parameters.items():
            if parameter.location != "query":
                continue
            if parameter.is_deep_object:
                self._deep[name] = _DeepReader(spec, parameter)
            else:
                interpret = self._interpreter(name)
                takes_raw = interpret is not _identity
                self._readers[name] = _Reader(spec, parameter, interpret, takes_raw=takes_raw)
        documented = [*self._readers, *(r.key_name(k) for r in self._deep.values() for k in r.keys)]
        self._documented = tuple(documented)  # for "did you mean"
        self.defaults = Criteria(
            conditions=(),
            sort=spec.sort.effective(None),
            limit=spec.parameters[self._limit_name].default,
            offset=spec.parameters[self._offset_name].default,
        )

    def _interpreter(self, name: str) -> Callable[[Any], Any]:
        """What a parameter's value means: a page bound, the order, a filter, or (undescribed) nothing."""
        if name == self._spec.sort.parameter:
            sort = self._spec.sort

            def _sort(raw: str) -> Any:
                if not raw:
                    sort.parse(raw)  # raises: an empty value is an error here, not the default order
                return sort.effective(raw)

            return _sort
        rule = self._spec.filters.get(name)
        if rule is not None and not rule.general:

            def _condition(raw: str | list[str]) -> Condition:
                return filter_condition(rule, raw)

            return _condition
        return _identity

    def parse(self, pairs: Pairs) -> Criteria:
        """The criteria of a request's decoded ``(name, value)`` pairs; InvalidRequest names every problem."""
        if not pairs:
            return self.defaults
        plain, deep, errors = self._group(pairs)
        values: dict[str, Any] = {}
        for name, raws in plain.items():
            try:
                values[name] = self._readers[name].read(raws)
            except InvalidValue as exc:
                errors.append(InvalidParameter(name, clipped(exc.reason)))
        conditions = [value for value in values.values() if isinstance(value, Condition)]
        for name, fields in deep.items():
            condition, problems = self._deep[name].read(fields)
            errors += problems
            if condition is not None:
                conditions.append(condition)
        if errors:
            raise InvalidRequest(errors)
        defaults = self.defaults
        return Criteria(
            conditions=tuple(conditions),
            sort=values.get(self._spec.sort.parameter, defaults.sort),
            limit=values.get(self._limit_name, defaults.limit),
            offset=values.get(self._offset_name, defaults.offset),
        )

    def _group(
        self, pairs: Pairs
    ) -> tuple[dict[str, list[str]], dict[str, dict[str, list[str]]], list[InvalidParameter]]:
        """The raw values by parameter (and deep-object key), and the names that are no parameter at all."""
        plain: dict[str, list[str]] = {}
        deep: dict[str, dict[str, list[str]]] = {}
        errors: list[InvalidParameter] = []
        for name, value in pairs:
            if name in self._readers:
                plain.setdefault(name, []).append(value)
                continue
            owner, key = split_deep_name(name)
            reader = self._deep.get(owner)
            if reader is not None and key is not None and key in reader.keys:
                deep.setdefault(owner, {}).setdefault(key, []).append(value)
            elif reader is not None and key is None:
                example = "&".join(f"{reader.key_name(k)}=…" for k in reader.keys[:3])
                errors.append(InvalidParameter(name, f"is a deep object; write it as {example}"))
            elif not self._lenient:
                errors.append(self._unknown(name))
        return plain, deep, errors

    def _unknown(self, name: str) -> InvalidParameter:
        """An undocumented name, with the documented one it most resembles (case aside)."""
        match = closest(name, self._documented)
        return InvalidParameter(name, "is not a parameter of this operation", suggestion=match)


def _identity(value: Any) -> Any:
    return value


class PathParameters:
    """An operation's path parameters, each checked against its schema (a malformed id is a 400 naming it, ``in``
    path) and, where it filters (a sub-collection's parent), turned into its condition."""

    def __init__(self, spec: Spec, parameters: Iterable[Parameter], *, filtering: bool = True) -> None:
        self._readers: dict[str, _Reader] = {}
        for parameter in parameters:
            rule = spec.filters.get(parameter.name) if filtering else None
            interpret = _identity if rule is None or rule.general else _condition_of(rule)
            self._readers[parameter.name] = _Reader(spec, parameter, interpret, takes_raw=True)

    def read(self, values: Mapping[str, str]) -> tuple[Condition, ...]:
        """The conditions of the values that filter; InvalidRequest names every malformed one."""
        conditions: list[Condition] = []
        errors: list[InvalidParameter] = []
        for name, raw in values.items():
            try:
                value = self._readers[name].read([raw])
            except InvalidValue as exc:
                errors.append(InvalidParameter(name, clipped(exc.reason), location="path"))
                continue
            if isinstance(value, Condition):
                conditions.append(value)
        if errors:
            raise InvalidRequest(errors)
        return tuple(conditions)


def _condition_of(rule: Any) -> Callable[[Any], Any]:
    def _condition(raw: str | list[str]) -> Condition:
        return filter_condition(rule, raw)

    return _condition
