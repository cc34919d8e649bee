"""Requests with exactly one invalid parameter, derived from the parameter schemas and ``x-`` extensions.

Out-of-range and non-integer numbers, strings breaking a pattern or a length limit, bad ObjectIds, too many
items, unsortable paths and directions, ``generalField`` filters the field catalogue does not allow, and
unknown parameters. Each one is confirmed invalid against the spec before it is used: the server must
answer 400 and name the parameter.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from contract_tests.generation.cases import Case
from contract_tests.generation.conformance import conforms
from contract_tests.generation.value_strategies import picked
from customers_spec.model import FIELD_TYPES, Parameter, Spec
from customers_spec.terms import general_condition
from customers_spec.wire import deep_pairs

NOT_INTEGERS = ("abc", "1.5", "1e3", "0x10", "½", "true")
BAD_VALUES = {
    "number": ("abc", "1,5", "1e3", "--1", "NaN", "01"),
    "boolean": ("yes", "1", "TRUE", "False"),
    "date": ("not-a-date", "2024-13-01", "2024-01-15T25:00:00Z", "15.01.2024", "2024-02-30"),
    "objectid": ("xyz", "65A1B2C3D4E5F6A7B8C9D0E1", "65a1b2c3d4e5f6a7b8c9d0e", "65a1b2c3d4e5f6a7b8c9d0e1f"),
}
UNKNOWN_OPERATORS = ("regex", "like", "between", "EQ")

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
identifiers = st.from_regex(r"[a-z][a-zA-Z]{2,11}", fullmatch=True)


def invalid_cases(spec: Spec) -> st.SearchStrategy[Case]:
    """One invalid parameter per request (the rest of the request is empty, so the culprit is clear)."""
    strategies = [invalid_values(spec, parameter) for parameter in spec.parameters.values()]
    return st.one_of(*(each for each in strategies if each is not None), unknown_parameters(spec))


def unknown_parameters(spec: Spec) -> st.SearchStrategy[Case]:
    """A parameter the spec does not declare, which the server must refuse rather than ignore."""
    unknown = identifiers.filter(lambda name: name not in spec.parameters)
    return unknown.map(lambda name: Case("invalid", ((name, "1"),), invalid=name))


def invalid_values(spec: Spec, parameter: Parameter) -> st.SearchStrategy[Case] | None:
    """Invalid values of one parameter as requests, or None when its schema allows every text."""
    if parameter.is_deep_object:
        return _refused_general_filters(spec, parameter)
    schema = parameter.schema
    candidates: list[st.SearchStrategy[Any]] = []
    if schema.get("type") == "integer":
        candidates.append(_integers(schema))
    if schema.get("type") == "array":
        candidates.append(_arrays(spec, schema))
    if "pattern" in schema:
        candidates.append(texts.filter(lambda text: re.search(schema["pattern"], text) is None))
    if "maxLength" in schema:
        candidates.append(_too_long(schema["maxLength"]))
    if parameter.name == spec.sort.parameter:
        candidates.append(_sorts(spec))
    if not candidates:
        return None
    return st.one_of(*candidates).map(lambda value: _case(spec, parameter, value))


def _case(spec: Spec, parameter: Parameter, value: str | list[str]) -> Case:
    if conforms(spec, parameter, value):
        reject()  # not invalid after all: the spec allows it
    text = spec.wire.join_list(value) if isinstance(value, list) else value
    return Case("invalid", ((parameter.name, text),), invalid=parameter.name)


def _integers(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    outside = [str(schema["minimum"] - 1)] if "minimum" in schema else []
    outside += [str(schema["maximum"] + 1)] if "maximum" in schema else []
    return st.sampled_from([*outside, *NOT_INTEGERS])


def _arrays(spec: Spec, schema: dict[str, Any]) -> st.SearchStrategy[list[str]]:
    """A list with one item breaking the item schema (and holding no separator), or one item more than ``maxItems``."""
    pattern = schema.get("items", {}).get("pattern", "")
    separator = spec.wire.list_separator
    one_item = texts.filter(lambda text: separator not in text)
    bad_item = one_item.filter(lambda text: re.search(pattern, text) is None).map(lambda text: [text])
    if "maxItems" not in schema:
        return bad_item
    too_many = st.just(schema["maxItems"] + 1).map(lambda count: [f"{index:024x}" for index in range(count)])
    return st.one_of(bad_item, too_many)


def _too_long(max_length: int) -> st.SearchStrategy[str]:
    return st.builds(lambda char, extra: char * (max_length + extra), st.sampled_from("aZß "), st.integers(1, 20))


def _sorts(spec: Spec) -> st.SearchStrategy[str]:
    """Sort keys the ``x-sort`` grammar refuses: an unsortable path, a bad direction, a missing one."""
    grammar = spec.sort.grammar
    fields = st.sampled_from(grammar.fields)
    ascending = grammar.direction(descending=False)
    unsortable = identifiers.filter(lambda name: name not in grammar.fields).map(
        lambda name: grammar.key(name, ascending)
    )
    bad_direction = st.builds(grammar.key, fields, st.sampled_from(["2", "0", "asc", "desc", "+1", ""]))
    valid_key = grammar.key(grammar.fields[0], next(iter(grammar.directions)))
    return st.one_of(unsortable, bad_direction, fields, st.just(grammar.separator.join([valid_key, ""])))


def _too_long_strings(parameter: Parameter) -> tuple[str, ...]:
    """A value one character longer than the deep object's string branch allows, if it sets a ``maxLength``."""
    for branch in parameter.schema.get("anyOf", ()):
        properties = branch.get("properties", {})
        limit = properties.get("value", {}).get("maxLength")
        if properties.get("type", {}).get("const") == "string" and limit is not None:
            return ("x" * (limit + 1),)
    return ()


def _refused_general_filters(spec: Spec, parameter: Parameter) -> st.SearchStrategy[Case]:
    """``generalField`` filters the catalogue refuses: unknown field or operator, bad value or type, missing parts."""
    fields = sorted(spec.field_types)
    operators = sorted(set().union(*spec.operators_by_type.values()) | set(UNKNOWN_OPERATORS))
    unknown_field = identifiers.filter(lambda name: name not in spec.field_types).map(
        lambda name: {"field": name, "operator": "eq", "value": "1"}
    )
    disallowed = [
        {"field": path, "operator": operator, "value": "1"}
        for path in fields
        for operator in operators
        if operator not in spec.operators_by_type[spec.field_types[path]]
    ]
    too_long = _too_long_strings(parameter)
    bad_value = [
        {"field": path, "operator": "eq", "value": value}
        for path in fields
        for value in BAD_VALUES.get(spec.field_types[path], too_long)
    ]
    wrong_type = [
        {"field": path, "operator": "exists", "value": "true", "type": other}
        for path in fields
        for other in FIELD_TYPES
        if other != spec.field_types[path]
    ]
    incomplete = [
        part
        for path in fields
        for part in (
            {"field": path},
            {"field": path, "operator": "eq"},
            {"operator": "eq", "value": "1"},
            {"field": path, "operator": "exists", "value": "yes"},
            {"field": path, "operator": "exists", "value": "true", "unknown": "1"},
        )
    ]
    written = st.one_of(unknown_field, *(picked(each) for each in (disallowed, bad_value, wrong_type, incomplete)))
    return written.map(lambda parts: _general_case(spec, parameter, parts))


def _general_case(spec: Spec, parameter: Parameter, parts: dict[str, str]) -> Case:
    if _general_allowed(spec, parameter, parts):
        reject()
    pairs = deep_pairs(parameter.name, parts)
    return Case("invalid", pairs, invalid=parameter.name)


def _general_allowed(spec: Spec, parameter: Parameter, parts: dict[str, str]) -> bool:
    if not conforms(spec, parameter, parts):
        return False
    try:
        general_condition(spec, parameter.name, parts["field"], parts["operator"], parts["value"], parts.get("type"))
    except (KeyError, ValueError):
        return False
    return True
