"""Why a parameter's value is invalid, in words a person can act on, cut short so a huge value makes a short 400.

A parameter's schema is compiled once (``CheckedSchema``): jsonschema_rs accepts a valid value in microseconds,
and a value it rejects is explained by the pure-Python validator, whose most relevant violation (of the
``anyOf`` branch that nearly matched) becomes a short reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from customers_spec.model import Spec
from customers_spec.schemas import fast_validator, schema_for_value

_SHOWN_CHARS = 60
_MAX_REASON = 400


class InvalidValue(Exception):
    """Why one value is invalid; ``key`` names the deep-object key it is about, if any."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.key = key


def shown(value: Any) -> str:
    """A value as a reason quotes it, cut short so a 64 KB value does not make a 64 KB answer."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}… ({len(str(value))} characters)"


def schema_reason(error: ValidationError) -> str:
    """A JSON Schema violation as a short reason a person can act on."""
    rule, bound, value = error.validator, error.validator_value, error.instance
    templates: dict[str, Callable[[], str]] = {
        "maximum": lambda: f"must be at most {bound}, got {value}",
        "minimum": lambda: f"must be at least {bound}, got {value}",
        "exclusiveMaximum": lambda: f"must be less than {bound}, got {value}",
        "exclusiveMinimum": lambda: f"must be greater than {bound}, got {value}",
        "maxLength": lambda: f"must be at most {bound} characters long, got {len(value)}",
        "minLength": lambda: f"must be at least {bound} characters long, got {len(value)}",
        "maxItems": lambda: f"must have at most {bound} values, got {len(value)}",
        "minItems": lambda: f"must have at least {bound} values, got {len(value)}",
        "pattern": lambda: f"must match {bound}, got {shown(value)}",
        "enum": lambda: f"must be one of {', '.join(map(str, bound))}, got {shown(value)}",
        "const": lambda: f"must be {bound}, got {shown(value)}",
        "format": lambda: f"must be a valid {bound}, got {shown(value)}",
        "type": lambda: f"must be of type {bound}, got {shown(value)}",
    }
    template = templates.get(str(rule))
    return template() if template else error.message


def clipped(reason: str) -> str:
    return reason if len(reason) <= _MAX_REASON else reason[: _MAX_REASON - 1] + "…"


class CheckedSchema:
    """A parameter's compiled schema: raises the most relevant violation as ``InvalidValue``."""

    def __init__(self, spec: Spec, schema: dict[str, Any]) -> None:
        self._validator = schema_for_value(spec, schema).raw
        self._fast = fast_validator(spec, schema)

    def check(self, instance: Any) -> None:
        if self._fast is not None and self._fast.is_valid(instance):  # the usual case, a tenth of the cost
            return
        error = best_match(self._validator.iter_errors(instance))
        if error is not None:
            error = _closest_branch(error)
            key = str(error.absolute_path[0]) if error.absolute_path else None
            raise InvalidValue(schema_reason(error), key if isinstance(instance, dict) else None)


def _closest_branch(error: ValidationError) -> ValidationError:
    """For ``anyOf``, the error of the branch that nearly matched (see ``_distance``)."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        closest = min(branches.values(), key=_distance)
        error = closest[0]
    return error


def _distance(errors: list[ValidationError]) -> tuple[int, int, int]:
    """How far a branch is from matching: missed enum/const first (the value belongs to another branch, e.g.
    another field type), then shallow misses (a different shape altogether), then the number of misses. A
    ``pattern`` or ``maxLength`` miss inside a branch that otherwise fits is what the caller must fix."""
    misses = sum(error.validator in ("enum", "const") for error in errors)
    depth = max(len(error.absolute_path) for error in errors)
    return misses, -depth, len(errors)
