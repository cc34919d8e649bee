"""What the proxy says itself: the ``X-Contract-Violations`` header, and its own problem+json answers (a
violating answer in strict mode, an upstream that failed), all built by ``problem_body``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import urllib3

from contract_tests.proxy.log import LOG
from contract_tests.reporting.redaction import redact
from contract_tests.running.records import Failure

VIOLATIONS_HEADER = "X-Contract-Violations"
StartResponse = Callable[..., Any]


def expose(headers: list[tuple[str, str]]) -> None:
    """Where the upstream exposes headers to browsers (CORS), ``X-Contract-Violations`` is exposed too."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == "access-control-expose-headers" and value.strip() != "*":
            headers[index] = (name, f"{value}, {VIOLATIONS_HEADER}")


def strict_answer(
    start_response: StartResponse,
    failures: list[Failure],
    headers: list[tuple[str, str]],
    summary: str,
    api_key: str | None,
) -> list[bytes]:
    """A 502 problem saying what was wrong; the upstream's CORS headers kept, so a browser can read it."""
    violations = [
        {
            "check": failure.check,
            "summary": failure.violation.summary,
            "expected": failure.violation.expected,
            "got": failure.violation.actual,
            "path": failure.violation.path,
        }
        for failure in failures
    ]
    detail = f"the upstream's answer breaks the contract ({summary})"
    body = redact(problem_body(502, "Contract violation", detail, violations=violations).decode(), api_key).encode()
    kept = [(name, value) for name, value in headers if name.lower().startswith("access-control-")]
    kept += [*problem_headers(body), (VIOLATIONS_HEADER, summary)]
    expose(kept)
    start_response("502 Bad Gateway", kept)
    return [body]


def upstream_failed(start_response: StartResponse, url: str, exc: Exception, timeout: float) -> list[bytes]:
    """The problem answer for an upstream that did not answer: a timeout is 504, anything else 502."""
    # NewConnectionError (refused, unresolvable) derives from ConnectTimeoutError in urllib3 2: asked first.
    if isinstance(exc, urllib3.exceptions.TimeoutError) and not isinstance(exc, urllib3.exceptions.NewConnectionError):
        return problem(start_response, 504, "Upstream timeout", f"no answer from {url} within {timeout:g} s")
    reason = exc.reason if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None else exc
    return problem(start_response, 502, "Upstream unreachable", f"cannot get an answer from {url}: {_cause(reason)}")


def _cause(exc: BaseException) -> str:
    """Why, without urllib3's nesting and object addresses: ``connection refused``, ``Name or service not known``."""
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    return text.split(": ", 1)[-1] if isinstance(exc, urllib3.exceptions.NewConnectionError) else text


def problem(start_response: StartResponse, status: int, title: str, detail: str) -> list[bytes]:
    """The proxy's own answer when the upstream failed (502, or 504 when it was too slow), logged."""
    LOG.warning("%d %s: %s", status, title, detail)
    body = problem_body(status, title, detail)
    reason = "Gateway Timeout" if status == 504 else "Bad Gateway"
    start_response(f"{status} {reason}", problem_headers(body))
    return [body]


def problem_body(status: int, title: str, detail: str, **extra: Any) -> bytes:
    """An ``application/problem+json`` body (RFC 9457) of the proxy's own, with any ``extra`` members after."""
    return orjson.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra})


def problem_headers(body: bytes) -> list[tuple[str, str]]:
    """The headers of a problem answer with ``body``."""
    return [("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))]
