"""The routes of operations the tools give no meaning to (no collection, another method, a GET answering no
component schema): served as Prism serves them, each documented response prepared once at start-up from its
example or a body generated from its schema (``mockserver.http.examples``), deterministic by seed.

The default answer is the 200 (else the first 2xx, else the first documented response); ``Prefer: code=N``
answers the documented response N, else a forced problem as on every operation. Requests are not validated.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from typing import Any

import orjson
from flask import Flask, Response

from customers_spec.api import Operation
from customers_spec.loader import resolve
from mockserver.config import Config
from mockserver.http.api import add_routes
from mockserver.http.examples import example_of, generated, problems
from mockserver.http.guard import Guard
from mockserver.http.prefer import APPLIED_HEADER

logger = logging.getLogger("mockserver.examples")


@dataclass(frozen=True)
class Answer:
    """One documented response, ready to send: its status, media type and body (None: no content)."""

    status: int
    media_type: str | None
    body: bytes | None

    def response(self, applied: list[str]) -> Response:
        headers = {APPLIED_HEADER: ", ".join(applied)} if applied else {}
        if self.body is None:
            response = Response(status=self.status, headers=headers)
            del response.headers["Content-Type"]
            return response
        return Response(self.body, status=self.status, headers=headers, mimetype=self.media_type)


def answers(document: dict[str, Any], operation: Operation, seed: int) -> dict[int, Answer]:
    """Every documented response of ``operation`` with a numeric status, prepared."""
    raw = document["paths"][operation.path][operation.method]
    prepared = {}
    for code, response in (raw.get("responses") or {}).items():
        if str(code).isdigit():
            rng = random.Random(f"{seed} {operation.key} {code}")
            prepared[int(code)] = _answer(document, operation, int(code), resolve(document, response), rng)
    return prepared


def _answer(document: dict[str, Any], operation: Operation, status: int, response: Any, rng: random.Random) -> Answer:
    content = response.get("content") if isinstance(response, dict) else None
    if not content:
        return Answer(status, None, None)
    media_type = next((key for key in content if "json" in key), next(iter(content)))
    media = content[media_type] or {}
    found, value = example_of(media)
    schema = media.get("schema")
    if not found:
        value = generated(document, schema, rng)
        wrong = problems(document, schema, value) if isinstance(schema, dict) else []
        if wrong:  # said once, at start-up: the answer is served all the same, as Prism would
            logger.warning(
                "%s %d: the body generated from its schema breaks it (%s); give it an example",
                operation.key,
                status,
                wrong[0],
            )
    body = value.encode("utf-8") if isinstance(value, str) and "json" not in media_type else orjson.dumps(value)
    return Answer(status, media_type, body)


def default_status(prepared: dict[int, Answer]) -> int:
    """The answer sent unless the request prefers another: 200, else the first 2xx, else the first documented."""
    if 200 in prepared:
        return 200
    return next((code for code in prepared if 200 <= code < 300), next(iter(prepared), 200))


def register_other(
    app: Flask, document: dict[str, Any], operation: Operation, header: str, config: Config, seed: int
) -> None:
    """Add the routes of an operation served as it is declared."""
    raw = document["paths"][operation.path][operation.method]
    prepared = answers(document, operation, seed)
    guard = Guard(document, raw, header, config, answers={code: answer.response for code, answer in prepared.items()})
    fallback = prepared.get(default_status(prepared), Answer(200, None, None))

    def other_view(**values: str) -> Response:
        applied, answered = guard.enter()
        if answered is not None:
            return answered
        return fallback.response(applied)

    add_routes(app, operation.method, operation.path, [], f"other {operation.operation_id}", other_view)
