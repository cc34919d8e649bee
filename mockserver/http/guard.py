"""What every operation does before it answers, whatever it serves: ``Prefer: delay=`` (and the configured delay),
``Prefer: code=`` (a forced problem), then the API key, where the operation asks for one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, request

from mockserver.config import Config
from mockserver.http.auth import api_key_checker
from mockserver.http.prefer import APPLIED_HEADER, PREFER_HEADER, apply_delay, forced_problems, preferences
from mockserver.http.problems import json_problem


def needs_key(document: dict[str, Any], operation: dict[str, Any], header: str) -> bool:
    """Whether the operation asks for the API key: its ``security`` (else the document's) names a requirement,
    and the document has an API key header at all (``security: []`` opens an operation)."""
    security = operation.get("security", document.get("security", []))
    return bool(header) and any(bool(requirement) for requirement in security or [])


class Guard:
    """Built once per operation; ``enter`` runs per request and gives the preferences applied, or the answer."""

    def __init__(
        self,
        document: dict[str, Any],
        operation: dict[str, Any],
        header: str,
        config: Config,
        *,
        answers: Mapping[int, Callable[[list[str]], Response]] | None = None,
    ) -> None:
        self._delay_ms = config.delay_ms
        self.forced = forced_problems(document, operation)
        self._answers = dict(answers or {})  # documented answers ``Prefer: code=`` may ask for (served as declared)
        self._header = header
        self._check = api_key_checker(header, config.api_keys) if needs_key(document, operation, header) else None

    def enter(self) -> tuple[list[str], Response | None]:
        """Delay as preferred; the documented answer or a forced problem when ``Prefer: code=`` asks for one;
        else raise 401 without an accepted key. Gives the preferences applied, and the answer if it is decided."""
        preferred = preferences(request.headers.get(PREFER_HEADER))
        applied = apply_delay(self._delay_ms, preferred)
        status = preferred.get("code")
        if status is not None and status in self._answers:
            applied.append(f"code={status}")
            return applied, self._answers[status](applied)
        if status in self.forced:
            applied.append(f"code={status}")
            return applied, json_problem(self.forced[status], {APPLIED_HEADER: ", ".join(applied)})
        if self._check is not None:
            self._check(request.headers.get(self._header))
        return applied, None
