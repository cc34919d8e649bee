"""A body for an operation the tools give no meaning to, as Prism serves one: the spec's ``example`` or first of
``examples`` where it has one, else a value generated from the schema, deterministic by seed (drawn once, at
start-up) and checked against the schema.

Generation takes every property (required or not), the schema's own ``example``/``default``/``const``/``enum``
where given at any depth, the first non-null branch of ``anyOf``/``oneOf``, ``allOf`` merged, and common string
formats (date-time, date, email, uri, uuid) and character-class patterns (``^[0-9a-f]{24}$``).
"""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

from jsonschema import Draft202012Validator

MAX_DEPTH = 8  # a recursive schema (a tree of categories) stops here
PATTERN = re.compile(r"^\^?\[([^\]]+)\]\{(\d+)(?:,(\d+))?\}\$?$")  # one character class, repeated


def example_of(media: dict[str, Any]) -> tuple[bool, Any]:
    """The example a media type (or schema) declares: ``(True, value)``, else ``(False, None)``."""
    if "example" in media:
        return True, media["example"]
    examples = media.get("examples")
    if isinstance(examples, dict) and examples:  # a media type's examples: named Example objects
        first = next(iter(examples.values()))
        if isinstance(first, dict) and "value" in first:
            return True, first["value"]
    if isinstance(examples, list) and examples:  # a schema's examples: values
        return True, examples[0]
    return False, None


def generated(document: dict[str, Any], schema: Any, rng: random.Random, depth: int = 0) -> Any:
    """A value satisfying ``schema`` (its local ``$ref``s read from ``document``), drawn from ``rng``."""
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        target = _target(document, schema["$ref"])
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        return generated(document, {**target, **siblings}, rng, depth + 1) if depth < MAX_DEPTH * 4 else None
    found, value = example_of(schema)
    if found:
        return value
    for word in ("const", "default"):
        if word in schema:
            return schema[word]
    if schema.get("enum"):
        return rng.choice(schema["enum"])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = generated(document, part, rng, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        kept = [branch for branch in branches if branch.get("type") != "null"] or branches
        rest = {key: value for key, value in schema.items() if key not in ("anyOf", "oneOf")}
        return generated(document, {**rest, **kept[0]}, rng, depth + 1)
    return _typed(document, schema, _type(schema), rng, depth)


def _type(schema: dict[str, Any]) -> str:
    written = schema.get("type")
    if isinstance(written, list):
        kept = [each for each in written if each != "null"]
        return kept[0] if kept else "null"
    if written:
        return str(written)
    return "object" if "properties" in schema else "string"


def _typed(document: dict[str, Any], schema: dict[str, Any], type_: str, rng: random.Random, depth: int) -> Any:
    if type_ == "object":
        if depth >= MAX_DEPTH:
            required = schema.get("required", [])
            properties = {key: value for key, value in schema.get("properties", {}).items() if key in required}
        else:
            properties = schema.get("properties", {})
        return {name: generated(document, sub, rng, depth + 1) for name, sub in properties.items()}
    if type_ == "array":
        low = int(schema.get("minItems", 1 if depth < MAX_DEPTH else 0))
        count = max(low, min(2, int(schema.get("maxItems", 2))))
        items = [generated(document, schema.get("items", {}), rng, depth + 1) for _ in range(count)]
        if schema.get("uniqueItems"):
            unique: list[Any] = []
            for item in items:
                if item not in unique:
                    unique.append(item)
            items = unique
        return items
    if type_ in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + (1 if "exclusiveMinimum" in schema else 0))
        high = schema.get("maximum", low + 100)
        value = rng.randint(int(low), max(int(low), min(int(high), int(low) + 100)))
        return value if type_ == "integer" else float(value)
    if type_ == "boolean":
        return rng.random() < 0.5
    if type_ == "null":
        return None
    return _string(schema, rng)


def _string(schema: dict[str, Any], rng: random.Random) -> str:
    number = rng.randint(1, 9999)
    format_ = schema.get("format")
    if format_ == "date-time":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:30:00Z"
    if format_ == "date":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if format_ == "email":
        return f"user{number}@example.com"
    if format_ in ("uri", "url", "uri-reference"):
        return f"https://example.com/{number}"
    if format_ == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128)))
    pattern = PATTERN.match(schema.get("pattern", ""))
    if pattern is not None:
        alphabet = _characters(pattern.group(1))
        return "".join(rng.choice(alphabet) for _ in range(int(pattern.group(2))))
    text = f"string {number}"
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", 1000))
    return (text + "x" * max(0, low - len(text)))[: max(high, low)]


def _characters(written: str) -> str:
    """The characters of a regex class body (``0-9a-f`` -> ``0123456789abcdef``)."""
    found, index = [], 0
    while index < len(written):
        if index + 2 < len(written) and written[index + 1] == "-":
            found += [chr(code) for code in range(ord(written[index]), ord(written[index + 2]) + 1)]
            index += 3
        else:
            found.append(written[index])
            index += 1
    return "".join(found) or "x"


def problems(document: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    """Where ``value`` breaks ``schema`` (empty: it satisfies it), checked with the document's components."""
    validator = Draft202012Validator(
        {**schema, "components": document.get("components", {})}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(value)
    ]


def _target(document: dict[str, Any], ref: Any) -> dict[str, Any]:
    node: Any = document
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return {}
    for part in ref[2:].split("/"):
        node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}
