"""The spec's ``x-`` extensions checked against their own JSON Schema (``extensions.schema.json``).

Every ``x-`` key anywhere in the document must be one the tools read, and must have the shape they read:
an unknown or misspelt extension would otherwise be ignored, and the mock and the kit would both silently
disagree with the spec. Each problem is reported as one line starting with its JSON pointer. None is required:
where the spec says nothing, the plain REST convention holds (``customers_spec.operations``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from customers_spec.errors import SpecError

SCHEMA_FILE = "extensions.schema.json"


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) of ``parts``: ``/components/parameters/status/x-filter``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


@lru_cache(maxsize=1)
def extensions_schema() -> dict[str, Any]:
    """The shipped schema of the extensions, package data of ``customers_spec``."""
    text = resources.files("customers_spec").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def known_extensions() -> frozenset[str]:
    return frozenset(name for name in extensions_schema()["$defs"] if name.startswith("x-"))


def check_extensions(document: dict[str, Any]) -> None:
    """Raise SpecError for the first unknown or misshapen extension, naming it by its JSON pointer."""
    for problem in iter_problems(document):
        raise SpecError(problem)


def iter_problems(document: dict[str, Any]) -> Iterator[str]:
    """Every extension problem of ``document``, each a line ``<pointer>: <what is wrong>``."""
    known = known_extensions()
    for at, name, value in _extensions(document, ()):
        where = pointer(*at, name)
        if name not in known:
            yield f"{where}: unknown extension {name}; the tools read {', '.join(sorted(known))}"
            continue
        error = _validator(name).iter_errors(value)
        first = next(error, None)
        if first is not None:
            yield f"{where}{pointer(*first.absolute_path)}: {first.message}"


# Maps keyed by names the author chooses (a property or header may well be called ``x-…``), and examples,
# which are data: their keys are no extensions. Extensions are keys of the OpenAPI and schema objects.
NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "dependentRequired", "dependentSchemas", "headers", "parameters"}
    | {"schemas", "responses", "requestBodies", "securitySchemes", "examples", "links", "callbacks", "content"}
)
DATA = frozenset({"example", "examples", "default", "const", "enum"})


def _extensions(node: Any, at: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    """Every ``x-`` key under ``node`` with where it is; the inside of an extension is the schema's to judge."""
    if isinstance(node, dict):
        names_only = bool(at) and at[-1] in NAME_MAPS
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-") and not names_only:
                yield at, key, value
            elif not (key in DATA and not names_only):
                yield from _extensions(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _extensions(value, (*at, index))


@lru_cache(maxsize=16)
def _validator(name: str) -> Draft202012Validator:
    schema = {**extensions_schema(), "$ref": f"#/$defs/{name}"}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
