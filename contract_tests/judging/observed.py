"""A request the kit did not generate (seen by the proxy) read back into a ``Case``, so the same checks judge it.

The kit's generator knows each request's kind and filters when it makes it; live traffic has to be read.
This reader is the kit's own, plain one (the mock's query parser is the other implementation it checks): each
parameter is read as its schema and ``x-`` extension say, and the first one the spec does not allow makes the
request ``invalid`` with that parameter named, which is what ``invalid_input_rejected`` then demands of the 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from contract_tests.generation.cases import Case, Kind
from contract_tests.generation.conformance import conforms
from customers_spec.model import Parameter, SortKey, Spec
from customers_spec.terms import Condition, filter_condition, general_condition
from customers_spec.wire import base_name, split_deep_name

UNAUTHORIZED = 401


@dataclass(frozen=True)
class ReadQuery:
    """What a query means: the first parameter the spec does not allow ('' when none), else its filters and sort."""

    invalid: str = ""
    conditions: tuple[Condition, ...] = ()
    sort: tuple[SortKey, ...] = ()


def observed_case(spec: Spec, pairs: Sequence[tuple[str, str]], *, key_sent: bool, status: int) -> Case:
    """The case of a request with decoded query ``pairs``; ``status`` tells a refused key from a valid one.

    A request without the key is ``no_key``. One with a key the server refused (401) is taken as ``wrong_key``:
    the proxy cannot know a key is valid, the server decides, and ``auth_enforced`` holds either way.
    """
    query = tuple(pairs)
    if not key_sent:
        return Case("no_key", query)
    if status == UNAUTHORIZED:
        return Case("wrong_key", query)
    read = read_query(spec, query)
    kind: Kind = "invalid" if read.invalid else "valid"
    return Case(kind, query, read.conditions, read.invalid, read.sort)


def read_query(spec: Spec, query: Sequence[tuple[str, str]]) -> ReadQuery:
    """The first parameter the spec does not allow, or the filters and sort of a valid query."""
    plain: dict[str, list[str]] = {}
    deep: dict[str, dict[str, list[str]]] = {}
    for name, value in query:
        parameter = _query_parameter(spec, name)
        if parameter is not None and not parameter.is_deep_object:
            plain.setdefault(name, []).append(value)
            continue
        owner, key = base_name(name), split_deep_name(name)[1]
        target = _query_parameter(spec, owner)
        if target is None or not target.is_deep_object or key is None:
            return ReadQuery(name if target is None else owner)
        deep.setdefault(owner, {}).setdefault(key, []).append(value)
    conditions: list[Condition] = []
    sort: tuple[SortKey, ...] = ()
    for name, raws in plain.items():
        parameter = spec.parameters[name]
        try:
            given = _plain_value(spec, parameter, raws)
            if name == spec.sort.parameter:
                sort = spec.sort.grammar.read(str(given))  # raises ValueError, an empty value included
                continue
            condition = _plain(spec, parameter, given)
        except ValueError:
            return ReadQuery(name)
        if condition is not None:
            conditions.append(condition)
    for name, written in deep.items():
        try:
            conditions.append(_deep(spec, spec.parameters[name], written))
        except ValueError:
            return ReadQuery(name)
    return ReadQuery("", tuple(conditions), sort)


def _query_parameter(spec: Spec, name: str) -> Parameter | None:
    parameter = spec.parameters.get(name)
    return parameter if parameter is not None and parameter.location == "query" else None


def _plain_value(spec: Spec, parameter: Parameter, raws: list[str]) -> str | list[str]:
    """A plain parameter's value (an array's items); ValueError when it repeats or breaks its schema."""
    if parameter.is_array:
        value: str | list[str] = spec.wire.array_items(parameter, raws)
    elif len(raws) > 1:
        raise ValueError(f"{parameter.name} given {len(raws)} times")
    else:
        value = raws[0]
    if not conforms(spec, parameter, value):
        raise ValueError(f"{parameter.name} breaks its schema")
    return value


def _plain(spec: Spec, parameter: Parameter, value: str | list[str]) -> Condition | None:
    """A plain filter's condition (None for paging); ValueError when the spec does not allow its value."""
    rule = spec.filters.get(parameter.name)
    return filter_condition(rule, value) if rule is not None and not rule.general else None


def _deep(spec: Spec, parameter: Parameter, written: dict[str, list[str]]) -> Condition:
    """A deep-object filter (``generalField[field]=…``); ValueError when a key repeats or the catalogue refuses it."""
    if any(len(values) > 1 for values in written.values()):
        raise ValueError(f"a key of {parameter.name} given twice")
    parts = {key: values[0] for key, values in written.items()}
    if not conforms(spec, parameter, parts) or not {"field", "operator", "value"} <= parts.keys():
        raise ValueError(f"{parameter.name} breaks its schema")
    return _general(spec, parameter.name, parts["field"], parts["operator"], parts["value"], parts.get("type"))


@lru_cache(maxsize=4096)
def _general(spec: Spec, name: str, field: str, operator: str, value: str, type_: str | None) -> Condition:
    return general_condition(spec, name, field, operator, value, type_)
