"""A failure's request and answer as reports show them: the key replaced by ``$API_KEY``, the body trimmed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from contract_tests.reporting.redaction import KEY_VARIABLE, Secret, redact
from contract_tests.running.records import Failure
from contract_tests.sending.transport import WRONG_KEY, Response

BODY_CHARS = 4000  # of the pretty-printed body shown per failure
SHOWN_ITEMS = 3  # of an array body: the first items, then how many more


@dataclass(frozen=True)
class Exchange:
    """A request and its answer as a report shows them: key replaced by ``$API_KEY``, body trimmed."""

    method: str
    url: str
    request_headers: dict[str, str]
    status: int
    response_headers: dict[str, str]
    body: str


def exchange_of(
    response: Response, credentials: str, header: str, secret: Secret, headers: Sequence[tuple[str, str]] = ()
) -> Exchange:
    """The report's view of an answer: the request it came for (its credentials, other headers as shown) and the
    trimmed answer."""
    sent = {"key": {header: KEY_VARIABLE}, "wrong": {header: WRONG_KEY}}.get(credentials, {}) | dict(headers)
    answered = {name: redact(str(value), secret) for name, value in response.headers.items()}
    body = redact(trimmed_body(response.body), secret)
    return Exchange("GET", response.url, sent, response.status, answered, body)


def failure_exchange(failure: Failure, header: str, secret: Secret) -> dict[str, Any] | None:
    """A failure's answer as plain data (an ``Exchange`` as a dict), or None when it carries no answer."""
    answer = failure.violation.response
    if isinstance(answer, Response):
        answer = exchange_of(answer, failure.credentials, header, secret, failure.headers)
    return asdict(answer) if isinstance(answer, Exchange) else None


def trimmed_body(body: bytes) -> str:
    """A JSON body pretty-printed (an array: its first items and a count of the rest), cut at ``BODY_CHARS``."""
    try:
        value: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        text = body[:BODY_CHARS].decode("utf-8", "replace")
    else:
        more = ""
        if isinstance(value, list) and len(value) > SHOWN_ITEMS:
            more = f"\n… and {len(value) - SHOWN_ITEMS} more items"
            value = value[:SHOWN_ITEMS]
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + more
    return text if len(text) <= BODY_CHARS else text[:BODY_CHARS] + "\n… (trimmed)"
