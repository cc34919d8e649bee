"""What the proxy says itself: the violations headers, and its own answers (a violating answer in strict mode,
an upstream that failed), all built by ``problem_body`` and all readable by a browser page (CORS).

``X-Contract-Violations`` is the count and the check names (``2; sort_order, page_size``), kept as it was;
``X-Contract-Violation-Details`` is the same as JSON, one object per violation (``check``, ``summary``,
``expected``, ``got``, ``path``), as many as fit in ``MAX_DETAILS_BYTES`` of ASCII (the count says how many
there were): what Prism's proxy gives in ``sl-violations``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import orjson
import urllib3

from contract_tests.proxy.log import LOG
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.running.records import Failure

VIOLATIONS_HEADER = "X-Contract-Violations"
DETAILS_HEADER = "X-Contract-Violation-Details"
EXPOSED = f"{VIOLATIONS_HEADER}, {DETAILS_HEADER}"
MAX_DETAILS_BYTES = 4000  # well under the 8 KB a header line may take in common servers and browsers
DETAIL_CHARS = 300  # of each text of a violation in the header
StartResponse = Callable[..., Any]


def expose(headers: list[tuple[str, str]]) -> None:
    """Where the upstream exposes headers to browsers (CORS), the violations headers are exposed too."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == "access-control-expose-headers" and value.strip() != "*":
            headers[index] = (name, f"{value}, {EXPOSED}")


def violation_details(failures: list[Failure]) -> list[dict[str, Any]]:
    """Each violation as plain data: the strict answer's ``violations`` and the details header."""
    return [
        {
            "check": failure.check,
            "summary": failure.violation.summary,
            "expected": failure.violation.expected,
            "got": failure.violation.actual,
            "path": failure.violation.path,
        }
        for failure in failures
    ]


def verdict_headers(failures: list[Failure], summary: str, secret: Secret) -> list[tuple[str, str]]:
    """The two violations headers of a judged answer (``[]`` as details when it conformed)."""
    details = [
        {name: text[:DETAIL_CHARS] if isinstance(text, str) else text for name, text in each.items()}
        for each in violation_details(failures)
    ]
    while details and len(_ascii_json(details)) > MAX_DETAILS_BYTES:
        details.pop()
    return [(VIOLATIONS_HEADER, summary), (DETAILS_HEADER, redact(_ascii_json(details), secret))]


def _ascii_json(value: Any) -> str:
    """JSON that a header can carry: ASCII only (other characters escaped), one line."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def strict_answer(
    start_response: StartResponse,
    failures: list[Failure],
    headers: list[tuple[str, str]],
    summary: str,
    secret: Secret,
) -> list[bytes]:
    """A 502 problem saying what was wrong; the upstream's CORS headers kept, so a browser can read it."""
    detail = f"the upstream's answer breaks the contract ({summary})"
    violations = violation_details(failures)
    body = redact(problem_body(502, "Contract violation", detail, violations=violations).decode(), secret).encode()
    kept = [(name, value) for name, value in headers if name.lower().startswith("access-control-")]
    kept += [*problem_headers(body), *verdict_headers(failures, summary, secret)]
    expose(kept)
    start_response("502 Bad Gateway", kept)
    return [body]


def own_cors(environ: Mapping[str, Any]) -> list[tuple[str, str]]:
    """CORS headers for an answer of the proxy's own, so a page on another origin can read it."""
    origin = environ.get("HTTP_ORIGIN")
    headers = [("Access-Control-Allow-Origin", origin or "*"), ("Access-Control-Expose-Headers", EXPOSED)]
    return [*headers, ("Vary", "Origin")] if origin else headers


def own_preflight(start_response: StartResponse, environ: Mapping[str, Any]) -> list[bytes]:
    """A preflight the upstream could not answer: allowed as asked, not cached, so the request itself follows
    and the page reads its 502/504 problem instead of a "Failed to fetch"."""
    headers = [*own_cors(environ), ("Access-Control-Max-Age", "0"), ("Content-Length", "0")]
    method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
    asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    headers += [("Access-Control-Allow-Methods", method)] if method else []
    headers += [("Access-Control-Allow-Headers", asked)] if asked else []
    start_response("204 No Content", headers)
    return [b""]


def upstream_problem(url: str, exc: Exception, timeout: float) -> tuple[int, str, str]:
    """Status, title and detail of an upstream that did not answer: a timeout is 504, anything else 502."""
    # NewConnectionError (refused, unresolvable) derives from ConnectTimeoutError in urllib3 2: asked first.
    if isinstance(exc, urllib3.exceptions.TimeoutError) and not isinstance(exc, urllib3.exceptions.NewConnectionError):
        return 504, "Upstream timeout", f"no answer from {url} within {timeout:g} s"
    reason = exc.reason if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None else exc
    return 502, "Upstream unreachable", f"cannot get an answer from {url}: {_cause(reason)}"


def _cause(exc: BaseException) -> str:
    """Why, without urllib3's nesting and object addresses: ``connection refused``, ``Name or service not known``."""
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    return text.split(": ", 1)[-1] if isinstance(exc, urllib3.exceptions.NewConnectionError) else text


def problem(
    start_response: StartResponse, status: int, title: str, detail: str, cors: list[tuple[str, str]] | None = None
) -> list[bytes]:
    """The proxy's own answer when the upstream failed (502, or 504 when it was too slow), logged."""
    LOG.warning("%d %s: %s", status, title, detail)
    body = problem_body(status, title, detail)
    reason = "Gateway Timeout" if status == 504 else "Bad Gateway"
    start_response(f"{status} {reason}", [*problem_headers(body), *(cors or [])])
    return [body]


def problem_body(status: int, title: str, detail: str, **extra: Any) -> bytes:
    """An ``application/problem+json`` body (RFC 9457) of the proxy's own, with any ``extra`` members after."""
    return orjson.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra})


def problem_headers(body: bytes) -> list[tuple[str, str]]:
    """The headers of a problem answer with ``body``."""
    return [("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))]
