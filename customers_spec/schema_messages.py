"""What a schema violation means, in words a person reads: ``must be an integer, got null``, not jsonschema's
Python (``None is not of type 'integer'``). One wording per validator keyword; any other keeps jsonschema's."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema.exceptions import ValidationError

TYPES = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}
FORMATS = {
    "email": "an email address",
    "date-time": "an RFC 3339 date-time (2024-01-31T12:00:00Z)",
    "date": "a date (YYYY-MM-DD)",
    "uri": "an absolute URI",
    "uri-reference": "a URI reference",
    "uuid": "a UUID",
}
SHOWN_CHARACTERS = 60


def shown(value: Any) -> str:
    """A value as a message quotes it: ``null``, ``true``, ``12``, ``'text'`` (long text cut), ``an object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_CHARACTERS else value[:SHOWN_CHARACTERS] + "…"
        return f"'{cut}'"
    return "an object" if isinstance(value, dict) else "an array" if isinstance(value, list) else repr(value)


def _type(error: ValidationError) -> str:
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    return f"must be {' or '.join(TYPES.get(str(each), str(each)) for each in wanted)}, got {shown(error.instance)}"


def _format(error: ValidationError) -> str:
    name = FORMATS.get(error.validator_value, f"a valid {error.validator_value}")
    return f"must be {name}, got {shown(error.instance)}"


def _required(error: ValidationError) -> str:
    found = re.match(r"^'(.*)' is a required property$", error.message)
    return f"misses the required property '{found.group(1)}'" if found else error.message


def _unexpected(error: ValidationError) -> str:
    found = re.search(r"\((.*) (?:was|were) unexpected\)", error.message)
    return f"has properties the schema does not define: {found.group(1)}" if found else error.message


def _length(word: str) -> Callable[[ValidationError], str]:
    return lambda error: (
        f"must be {word} {error.validator_value} characters long, got {len(error.instance)}: {shown(error.instance)}"
    )


def _items(word: str) -> Callable[[ValidationError], str]:
    return lambda error: f"must have {word} {error.validator_value} items, got {len(error.instance)}"


def _bound(words: str) -> Callable[[ValidationError], str]:
    return lambda error: f"must be {words} {error.validator_value}, got {shown(error.instance)}"


WORDINGS: dict[str, Callable[[ValidationError], str]] = {
    "type": _type,
    "format": _format,
    "required": _required,
    "additionalProperties": _unexpected,
    "unevaluatedProperties": _unexpected,
    "enum": lambda error: (
        f"must be one of {', '.join(shown(each) for each in error.validator_value)}, got {shown(error.instance)}"
    ),
    "const": lambda error: f"must be {shown(error.validator_value)}, got {shown(error.instance)}",
    "pattern": lambda error: f"must match the pattern {error.validator_value}, got {shown(error.instance)}",
    "minLength": _length("at least"),
    "maxLength": _length("at most"),
    "minItems": _items("at least"),
    "maxItems": _items("at most"),
    "minimum": _bound("at least"),
    "maximum": _bound("at most"),
    "exclusiveMinimum": _bound("greater than"),
    "exclusiveMaximum": _bound("less than"),
    "multipleOf": _bound("a multiple of"),
    "uniqueItems": lambda error: "must not repeat an item",
}


def human_message(error: ValidationError) -> str:
    """The violation in words, by its keyword; jsonschema's own message for a keyword without a wording."""
    wording = WORDINGS.get(str(error.validator))
    return wording(error) if wording is not None else error.message


def rust_message(rule: str, error: Any) -> str:
    """The same words for an error of jsonschema_rs (the fast validator, stricter on some formats): its kind
    carries the format or the limit; other kinds keep its own message."""
    value = getattr(error.kind, "format" if rule == "format" else "limit", None)
    if value is None or rule not in WORDINGS:
        return str(error.message)
    return human_message(ValidationError(error.message, validator=rule, validator_value=value, instance=error.instance))  # type: ignore[arg-type]
