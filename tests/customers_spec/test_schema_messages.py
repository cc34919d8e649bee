"""Schema violations in words a person reads, one wording per keyword, never jsonschema's Python."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from customers_spec.schema_messages import human_message


def message(schema: dict[str, Any], instance: Any) -> str:
    (error,) = Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(instance)
    return human_message(error)


@pytest.mark.parametrize(
    ("schema", "instance", "words"),
    [
        ({"type": "integer"}, None, "must be an integer, got null"),
        ({"type": ["string", "null"]}, True, "must be a string or null, got true"),
        ({"type": "boolean"}, "no", "must be true or false, got 'no'"),
        ({"type": "string"}, {"a": 1}, "must be a string, got an object"),
        ({"format": "email"}, "x", "must be an email address, got 'x'"),
        ({"required": ["zip"]}, {}, "misses the required property 'zip'"),
        ({"properties": {}, "additionalProperties": False}, {"x": 1}, "has properties the schema does not define: 'x'"),
        ({"enum": ["a", "b"]}, "c", "must be one of 'a', 'b', got 'c'"),
        ({"minimum": 1}, 0, "must be at least 1, got 0"),
        ({"exclusiveMaximum": 5}, 5, "must be less than 5, got 5"),
        ({"maxLength": 3}, "abcd", "must be at most 3 characters long, got 4: 'abcd'"),
        ({"minItems": 2}, [1], "must have at least 2 items, got 1"),
        ({"pattern": "^[0-9]+$"}, "x1", "must match the pattern ^[0-9]+$, got 'x1'"),
    ],
)
def test_each_keyword_in_words(schema: dict[str, Any], instance: Any, words: str) -> None:
    assert message(schema, instance) == words


def test_long_text_is_cut_and_other_keywords_keep_jsonschemas_message() -> None:
    assert message({"type": "integer"}, "x" * 100).endswith("'" + "x" * 60 + "…'")
    assert message({"not": {"type": "string"}}, "a") == "'a' should not be valid under {'type': 'string'}"
