"""Bodies from a schema where the spec gives no example: valid, drawn from the seed, the spec's examples first."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mockserver.http.examples import example_of, generated, problems

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Id": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
            "Node": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"$ref": "#/components/schemas/Id"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                },
            },
        }
    }
}


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/components/schemas/Node"},  # recursive: stops at a depth, still valid
        {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}, "on": {"format": "date"}}},
        {"type": ["string", "null"], "format": "email"},
        {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 5, "maximum": 7}]},
        {"allOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"type": "boolean"}}}]},
        {"type": "string", "minLength": 30, "maxLength": 40},
        {"type": "string", "format": "uuid"},
        {"type": "array", "minItems": 3, "items": {"type": "number", "minimum": 1}},
    ],
)
def test_a_generated_value_satisfies_its_schema(schema: dict[str, Any]) -> None:
    value = generated(DOCUMENT, schema, random.Random(1))
    assert problems(DOCUMENT, schema, value) == []


def test_the_same_seed_gives_the_same_value_and_another_seed_another() -> None:
    schema = {"$ref": "#/components/schemas/Node"}
    first = generated(DOCUMENT, schema, random.Random("7 GET /x 200"))
    assert generated(DOCUMENT, schema, random.Random("7 GET /x 200")) == first
    assert generated(DOCUMENT, schema, random.Random("8 GET /x 200")) != first


def test_examples_come_first_at_every_depth() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "examples": ["Hafen"]}}}
    assert generated(DOCUMENT, schema, random.Random(0)) == {"name": "Hafen"}
    assert example_of({"examples": {"one": {"value": [1]}, "two": {"value": [2]}}}) == (True, [1])
    assert example_of({"example": None}) == (True, None)
    assert example_of({"schema": {}}) == (False, None)


def test_problems_say_where_a_value_breaks_its_schema() -> None:
    assert problems(DOCUMENT, {"$ref": "#/components/schemas/Node"}, {"id": "x"}) == [
        "id: 'x' does not match '^[0-9a-f]{24}$'"
    ]
