"""The staging's HTTP face: GET of the spec's operation (both path spellings) as a plain WSGI app.

What the spec asks of an answer, read from it: the key in the header of the spec's ``apiKey`` scheme (401
without it, or with a key not accepted), the query read by ``params`` (a 400 ``application/problem+json``
naming every invalid parameter), the page and its total from one read of the database, the total in the
``x-pagination`` header and the neighbouring pages in the ``Link`` header (``links``). Every answer waits a
``Latency`` first, as a staging behind a network does.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request as HttpRequest
from werkzeug.wrappers import Response

from customers_spec.model import Spec
from customers_spec.wire import decode_query
from selftest.sqlstaging.database import Connections
from selftest.sqlstaging.links import link_header
from selftest.sqlstaging.params import BadRequest, Invalid, QueryReader
from selftest.sqlstaging.query import Compiler
from selftest.sqlstaging.readings import CORRECT, Reading
from selftest.sqlstaging.tables import Layout

PROBLEM = "application/problem+json"
MAX_QUERY_FIELDS = 1000


@dataclass
class Latency:
    """How long each answer waits: between ``low_ms`` and ``high_ms``, the n-th answer's wait drawn from
    ``seed`` and n (deterministic jitter); ``0, 0``: none."""

    low_ms: float = 0.0
    high_ms: float = 0.0
    seed: int = 0
    served: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next_ms(self) -> float:
        with self._lock:
            self.served += 1
            serial = self.served
        digest = hashlib.blake2b(f"{self.seed}:{serial}".encode(), digest_size=8).digest()
        return self.low_ms + (self.high_ms - self.low_ms) * int.from_bytes(digest, "big") / 2**64

    def wait(self) -> None:
        if self.high_ms > 0:
            time.sleep(self.next_ms() / 1000)


class SqlStaging:
    """The WSGI app over the database at ``path``, answering by ``reading``; ``api_keys``: the accepted keys
    (empty: any key)."""

    def __init__(
        self,
        spec: Spec,
        path: Path,
        *,
        reading: Reading = CORRECT,
        api_keys: Iterable[str] = (),
        latency: Latency | None = None,
    ) -> None:
        self.spec, self.path = spec, path
        self.layout = Layout.of(spec)
        self.compiler = Compiler(spec, self.layout, reading)
        self.reader = QueryReader(spec)
        self.connections = Connections(path)
        self.api_keys = tuple(key.encode() for key in api_keys)
        self.latency = latency or Latency()
        self.paths = {spec.path, *spec.operation.get("x-also-at", ())}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.latency.wait()
        return self.respond(HttpRequest(environ))(environ, start_response)

    def respond(self, request: HttpRequest) -> Response:
        if request.path not in self.paths:
            return problem(404, f"Nothing is served at {request.path}; this staging serves GET {self.spec.path}.")
        if request.method not in ("GET", "HEAD"):
            answer = problem(405, f"{request.method} is not allowed on {request.path}.")
            answer.headers["Allow"] = "GET, HEAD"
            return answer
        refused = self.refused(request.headers.get(self.spec.api_key_header))
        if refused is not None:
            answer = problem(401, refused)
            answer.headers["WWW-Authenticate"] = f'ApiKey header="{self.spec.api_key_header}"'
            return answer
        try:
            pairs = decode_query(request.query_string, max_fields=MAX_QUERY_FIELDS)
        except ValueError:
            return problem(400, f"A request may have at most {MAX_QUERY_FIELDS} query parameters.")
        try:
            wanted = self.reader.read(pairs)
        except BadRequest as exc:
            return problem(400, _invalid_detail(exc.errors), exc.errors)
        total, bodies = self.connections.answer(self.compiler.total(wanted), self.compiler.page(wanted))
        names = self.spec.pagination
        base = request.host_url.rstrip("/") + self.spec.path
        headers = {
            names.total_header: str(total),
            names.link_header: link_header(base, pairs, names, wanted.offset, wanted.limit, total),
        }
        return Response(f"[{','.join(bodies)}]", headers=headers, mimetype="application/json")

    def refused(self, key: str | None) -> str | None:
        """Why the key is refused, or None when it is accepted."""
        header = self.spec.api_key_header
        if not key or not key.strip():
            return f"The {header} header is missing."
        given = key.encode("latin-1", "replace")
        if self.api_keys and not any(hmac.compare_digest(given, accepted) for accepted in self.api_keys):
            return f"The key in the {header} header is not accepted."
        return None


def _invalid_detail(errors: tuple[Invalid, ...]) -> str:
    return f"{len(errors)} query parameter{' is' if len(errors) == 1 else 's are'} invalid."


def problem(status: int, detail: str, errors: Iterable[Invalid] | None = None) -> Response:
    """An RFC 9457 problem document as the answer."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = [error.as_json() for error in errors]
    return Response(orjson.dumps(body), status=status, mimetype=PROBLEM)
