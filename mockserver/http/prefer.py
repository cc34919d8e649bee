"""The ``Prefer`` header (RFC 7240) a frontend uses to test itself: ``delay=MS`` and ``code=N`` (a forced error)."""

from __future__ import annotations

import time
from typing import Any

from customers_spec.loader import resolve
from mockserver.config import MAX_DELAY_MS
from mockserver.http.problems import PROBLEM_TYPE, problem_body

PREFER_HEADER = "Prefer"
APPLIED_HEADER = "Preference-Applied"
FORCEABLE_CODES = (400, 401, 403, 404, 429, 500, 502, 503)


def preferences(header: str | None) -> dict[str, int]:
    """The numeric preferences of a ``Prefer`` header, e.g. ``code=400, delay=500``; others ignored."""
    if not header:
        return {}
    found: dict[str, int] = {}
    for item in header.replace(";", ",").split(","):
        name, equals, value = item.partition("=")
        value = value.strip().strip('"')
        if equals and value.isascii() and value.isdigit() and len(value) < 10:
            found.setdefault(name.strip().lower(), int(value))
    return found


def apply_delay(configured_ms: int, preferred: dict[str, int]) -> list[str]:
    """Sleep as configured, or as ``Prefer: delay=MS`` asks instead (at most MAX_DELAY_MS); the applied ones."""
    applied: list[str] = []
    delay_ms = configured_ms
    if "delay" in preferred:
        delay_ms = min(preferred["delay"], MAX_DELAY_MS)
        applied.append(f"delay={delay_ms}")
    if delay_ms:
        time.sleep(delay_ms / 1000)
    return applied


def forced_problems(document: dict[str, Any], operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The bodies ``Prefer: code=N`` returns on ``operation``: the spec's problem example for N where it has one,
    else a plain one."""
    bodies: dict[int, dict[str, Any]] = {}
    for code, response in operation.get("responses", {}).items():
        example = _problem_example(document, response)
        if example is not None and str(code).isdigit():
            bodies[int(code)] = example
    for code in FORCEABLE_CODES:
        bodies.setdefault(
            code, problem_body(code, f"Returned because the request asked for it ({PREFER_HEADER}: code={code}).")
        )
    return bodies


def _problem_example(document: dict[str, Any], response: dict[str, Any]) -> dict[str, Any] | None:
    content = resolve(document, response).get("content", {}).get(PROBLEM_TYPE, {})
    example = content.get("example")
    return example if isinstance(example, dict) and "status" in example else None
