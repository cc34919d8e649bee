"""Every error the mock answers, as an RFC 9457 ``application/problem+json`` document."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from flask import Flask, Response, request
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, MethodNotAllowed, NotFound
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger("mockserver.errors")


@dataclass(frozen=True)
class InvalidParameter:
    """One invalid request parameter, as the spec's ``InvalidParameter`` schema describes it."""

    name: str
    reason: str
    location: str = "query"
    suggestion: str | None = None

    def as_json(self) -> dict[str, str]:
        item = {"name": self.name, "in": self.location, "reason": self.reason}
        if self.suggestion is not None:
            item["suggestion"] = self.suggestion
        return item


class InvalidRequest(BadRequest):
    """A 400 that names every invalid parameter, so a client can fix them all at once."""

    def __init__(self, errors: Iterable[InvalidParameter]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        places = {error.location for error in self.errors}
        kind = f"{places.pop()} parameter" if len(places) == 1 else "parameter"
        noun = f"{kind} is" if count == 1 else f"{kind}s are"
        super().__init__(f"{count} {noun} invalid.")


def problem_body(status: int, detail: str, errors: Iterable[InvalidParameter] | None = None) -> dict[str, Any]:
    """The problem document for ``status`` (``type`` about:blank, so ``title`` is the status phrase)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [error.as_json() for error in errors]
    return body


def problem_response(
    status: int,
    detail: str,
    errors: Iterable[InvalidParameter] | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
) -> Response:
    return json_problem(problem_body(status, detail, errors), headers)


def json_problem(
    body: Mapping[str, Any], headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None
) -> Response:
    """A problem document as a response; its status is the document's ``status``."""
    return Response(orjson.dumps(body), status=int(body["status"]), headers=headers, mimetype=PROBLEM_TYPE)


def _from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    errors = exc.errors if isinstance(exc, InvalidRequest) else None
    # Keep what the exception says about itself (``Allow`` of a 405, ``WWW-Authenticate`` of a 401).
    headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
    return problem_response(status, exc.description or HTTP_STATUS_CODES.get(status, "Error"), errors, headers)


def _from_unexpected(exc: Exception) -> Response:
    """A 500 that tells the client nothing about the code; the traceback goes to the server log only."""
    logger.exception("unexpected error while handling a request")
    return _from_http_exception(InternalServerError("The mock server failed unexpectedly; see its log."))


def register_error_handlers(app: Flask, operations: Iterable[str], pages: Iterable[str] = ()) -> None:
    """One handler for every HTTP error, one for everything else; a 404 and a 405 name the path asked for and
    every operation served (``GET /v2/customers``, ...) besides its ``pages`` (docs, spec)."""
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
    operations = list(operations)
    served = ", ".join([*operations, *pages])

    def not_found(exc: NotFound) -> Response:
        return _from_http_exception(NotFound(f"Nothing is served at {request.path}. This mock serves {served}."))

    def not_allowed(exc: MethodNotAllowed) -> Response:
        allowed = ", ".join(exc.valid_methods or ())
        detail = (
            f"{request.method} is not allowed on {request.path} (allowed: {allowed}); this mock serves"
            f" {', '.join(operations)}."
        )
        return _from_http_exception(MethodNotAllowed(exc.valid_methods, detail))

    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(MethodNotAllowed, not_allowed)
