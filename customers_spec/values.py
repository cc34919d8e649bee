"""Reading typed values: a dotted path out of a record, and a query string value as its field type."""

from __future__ import annotations

import copy
import re
from datetime import UTC, date, datetime, time
from typing import Any

from customers_spec.model import FieldType

# Leading zeros are allowed: `status` and `name` (digits) accept them, and "01" is plainly the number 1.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits only: str.isdigit() also takes '²' and other scripts' digits


def parse_integer(text: str) -> int | None:
    """``text`` as an integer when it is one written in ASCII digits (a header, a query value), else None."""
    text = text.strip()
    return int(text) if INTEGER.fullmatch(text) else None


def get_path(record: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None where any step is absent or null (the spec treats both alike)."""
    node: Any = record
    for step in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


def without(record: dict[str, Any], paths: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``record`` without the values at the dotted ``paths``: what a server owns on a write, left out
    of a comparison (the kit) or of a body (the mock)."""
    result = copy.deepcopy(record)
    for path in paths:
        *parents, last = path.split(".")
        node: Any = result
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    return result


def parse_datetime(raw: str) -> datetime:
    """An RFC 3339 date-time (any case of T and Z; no offset means UTC) or a full date (midnight UTC)."""
    text = raw.strip().upper()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    if text[17:19] == "60":  # a leap second, which RFC 3339 allows and Python does not
        text = text[:17] + "59" + text[19:]
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_value(field_type: FieldType, raw: str) -> Any:
    """The raw query value as a value of ``field_type``; ValueError when it does not parse as one."""
    if field_type == "number":
        if not _DECIMAL.fullmatch(raw):
            raise ValueError(f"'{raw}' is not a decimal number")
        return float(raw) if "." in raw else int(raw)
    if field_type == "boolean":
        if raw not in ("true", "false"):
            raise ValueError(f"'{raw}' is not true or false")
        return raw == "true"
    if field_type == "date":
        try:
            return parse_datetime(raw)
        except ValueError as exc:
            raise ValueError(f"'{raw}' is not an RFC 3339 date-time or full date ({exc})") from exc
    if field_type == "objectid":
        if len(raw) != 24 or any(char not in "0123456789abcdef" for char in raw):
            raise ValueError(f"'{raw}' is not an ObjectId (24 lowercase hex characters)")
        return raw
    return raw


def record_value(field_type: FieldType, value: Any) -> Any:
    """A record's stored value in the form it compares as: date-time strings become instants."""
    if value is None or field_type != "date":
        return value
    return parse_datetime(value)
