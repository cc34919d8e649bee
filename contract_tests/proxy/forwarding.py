"""``contract-tests proxy``: the contract judged on traffic the kit did not make (a frontend, an end-to-end suite).

Each request goes to the upstream unchanged (method, path, query, headers, the client's API key too, which is
never logged or stored) and each answer comes back unchanged. Answers of the spec's operation are judged on
the way back by every check that sends no request of its own (``Check.follow_ups`` is False): the proxy only
watches, it never adds traffic. A judged answer gets ``X-Contract-Violations`` (count and check names), each
violation a log line with a curl that reproduces it; ``strict`` turns a violating answer into a 502 problem.

The server is gunicorn's gthread worker (``proxy_server``) with a pooled urllib3 client to the upstream, chosen
by measurement (``bench/bench_proxy.py``); everything the run found is in ``ProxyJudge.outcome`` for the summary
at exit. A body in an encoding the checks cannot read (``br``, ``zstd``) passes on unjudged.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson
import urllib3

from contract_tests.generation.cases import Credentials
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.observed import observed_case
from contract_tests.judging.registry import Check
from contract_tests.judging.selection import is_built_in
from contract_tests.reporting.files import exchange_of
from contract_tests.reporting.text import curl, redact
from contract_tests.running.runner import Failure, Judged, Outcome, judge_response
from contract_tests.sending.transport import CHUNK_BYTES, MAX_BODY_BYTES, Response
from customers_spec.errors import FollowUpRefused, KitError
from customers_spec.model import Spec
from customers_spec.wire import decode_query

LOG = logging.getLogger("contract_tests.proxy")
VIOLATIONS_HEADER = "X-Contract-Violations"
KEPT_PER_CHECK = 20  # failures kept for the reports per check; the counts go on
# Connection-level headers (RFC 9110 7.6.1) belong to one hop and are never forwarded either way.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding"}
    | {"upgrade", "proxy-connection", "host"}
)
StartResponse = Callable[..., Any]


class _WatchOnly:
    """The proxy's context transport: knows the upstream's base URL, sends nothing."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def send(self, url: str, credentials: str) -> Response:
        raise FollowUpRefused(f"the proxy sends no follow-up requests (asked for {url})")

    def close(self) -> None:
        """Nothing to release."""


def passive_checks(checks: Sequence[Check]) -> tuple[Check, ...]:
    """The checks that judge an answer alone, without sending requests of their own."""
    return tuple(check for check in checks if not check.follow_ups)


Verdicts = tuple[Counter[str], Counter[str], list[tuple[str, ContractViolation]]]
VERDICT_CACHE_SIZE = 512


@dataclass
class ProxyJudge:
    """Judges answers of the spec's operation and keeps the run's outcome (thread-safe).

    A frontend asks the same things again and again; the built-in checks are functions of the request and the
    answer alone, so an answer identical to one judged before (same query, key or none, status, judged headers
    and body) gets that verdict again, counted again, without running the checks twice (``verdict_cache``).
    A team's checks may keep state across answers: with any of them selected every answer is judged afresh.
    """

    spec: Spec
    upstream: str
    checks: tuple[Check, ...]
    verdict_cache: bool = True
    link_origin: str | None = None  # what the upstream's Link URLs start with behind a gateway (default: upstream)
    outcome: Outcome = field(init=False)
    passed_through: int = field(default=0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _ctx: Context = field(init=False, repr=False)
    _verdicts: dict[tuple[Any, ...], Verdicts] = field(default_factory=dict, init=False, repr=False)
    _kept: set[tuple[str, str, str, str]] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self.upstream = self.upstream.rstrip("/")
        self.outcome = Outcome(checks=tuple(check.name for check in self.checks))
        self._ctx = Context(self.spec, _WatchOnly(self.upstream), link_origin=self.link_origin)
        built_in = all(is_built_in(check) for check in self.checks)
        self.verdict_cache = self.verdict_cache and built_in
        documented = (self._ctx.documented(status) for status in self.spec.statuses)
        self._judged_headers = ("Content-Type", *sorted({name for each in documented if each for name in each.headers}))

    def judges(self, method: str, path: str) -> bool:
        return method.upper() == self.spec.method.upper() and path == self.spec.path

    def judge(self, response: Response, query: str, api_key: str | None) -> list[Failure]:
        """The failures of one answer; counted in the outcome, the first ones kept (key redacted) for reports."""
        key = self._cache_key(response, query, api_key) if self.verdict_cache else None
        verdicts = self._verdicts.get(key) if key is not None else None
        if verdicts is None:
            verdicts = self._verdicts_of(response, query, api_key)
            if key is not None:
                if len(self._verdicts) >= VERDICT_CACHE_SIZE:
                    self._verdicts.clear()
                self._verdicts[key] = verdicts
        passed, failed, violations = verdicts
        credentials: Credentials = "key" if api_key is not None else "none"
        failures = [
            Failure(
                name, _redacted(violation, api_key, credentials, self.spec.api_key_header), response.url, credentials
            )
            for name, violation in violations
        ]
        with self._lock:
            self.outcome.examples += 1
            self.outcome.passed.update(passed)
            self.outcome.failed.update(failed)
            for failure in failures:
                distinct = (failure.check, failure.url, failure.violation.expected, failure.violation.actual)
                kept = sum(1 for each in self.outcome.failures if each.check == failure.check)
                if distinct not in self._kept and kept < KEPT_PER_CHECK:
                    self._kept.add(distinct)
                    self.outcome.failures.append(failure)
        return failures

    def _verdicts_of(self, response: Response, query: str, api_key: str | None) -> Verdicts:
        pairs = decode_query(query)
        case = observed_case(self.spec, pairs, key_sent=api_key is not None, status=response.status)
        judged = Judged(case)
        for check in self.checks:  # one at a time: a check that tries to send a request loses its own verdict only
            try:
                verdict = judge_response(self._ctx, case, response, (check,))
            except FollowUpRefused as exc:
                LOG.warning("%s was skipped (mark it follow_ups=True): %s", check.name, exc)
                continue
            judged.passed += verdict.passed
            judged.violations += verdict.violations
        failed = Counter(name for name, _ in judged.violations)
        return Counter(judged.passed), failed, judged.violations

    def _cache_key(self, response: Response, query: str, api_key: str | None) -> tuple[Any, ...]:
        headers = tuple(response.header(name) for name in self._judged_headers)
        return (query, api_key is not None, response.status, headers, response.body)

    def count_passthrough(self) -> None:
        with self._lock:
            self.passed_through += 1


def _redacted(violation: ContractViolation, api_key: str | None, credentials: str, header: str) -> ContractViolation:
    """The violation with the client's key taken out of every text, and its answer as a trimmed ``Exchange``."""
    violation.expected = redact(violation.expected, api_key)
    violation.actual = redact(violation.actual, api_key)
    if isinstance(violation.response, Response):
        violation.response = exchange_of(violation.response, credentials, header, api_key)
    return violation


class ProxyApp:
    """The WSGI app: forwards, judges, answers. ``timeout`` bounds connecting and each read from the upstream."""

    def __init__(
        self,
        judge: ProxyJudge,
        *,
        strict: bool = False,
        timeout: float = 30.0,
        pool_size: int = 64,
        preserve_host: bool = False,
    ) -> None:
        self.judge = judge
        self.strict = strict
        self.timeout = timeout
        self.preserve_host = preserve_host  # the client's Host goes on; else the upstream's, plus X-Forwarded-Host
        parts = urlsplit(judge.upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KitError(f"--upstream must be an http:// or https:// URL, not {judge.upstream!r}")
        self._host = parts.netloc
        self._pool = urllib3.PoolManager(num_pools=4, maxsize=pool_size, retries=False)
        self._key_environ = "HTTP_" + judge.spec.api_key_header.upper().replace("-", "_")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        target = _raw_target(environ)
        url = self.judge.upstream + target
        path = environ.get("PATH_INFO", "")
        try:
            answer = self._pool.urlopen(
                method,
                url,
                body=_request_body(environ),
                headers=self._request_headers(environ),
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            )
        except urllib3.exceptions.HTTPError as exc:
            return _upstream_failed(start_response, url, exc, self.timeout)
        preflight = method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
        if preflight or not self.judge.judges(method, path):
            self.judge.count_passthrough()
            start_response(_status_line(answer.status, answer.reason), _response_headers(answer))
            return _streamed(answer)
        return self._judged(environ, start_response, answer, url)

    def _request_headers(self, environ: dict[str, Any]) -> dict[str, str]:
        """The client's headers, connection-level ones aside; Host is the upstream's unless ``preserve_host``.

        A virtual-hosted upstream (staging.example.com) routes by Host, so by default it gets its own, and
        X-Forwarded-Host/-Proto tell it where the client was; with ``preserve_host`` a server that builds
        absolute links from Host (as the mock does) links back to the proxy.
        """
        client_host = environ.get("HTTP_HOST", "")
        if self.preserve_host and client_host:
            headers = {"Host": client_host}
        else:
            headers = {"Host": self._host, "X-Forwarded-Proto": environ.get("wsgi.url_scheme", "http")}
            if client_host:
                headers["X-Forwarded-Host"] = client_host
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = key[5:].replace("_", "-").title()
                if name.lower() not in HOP_BY_HOP:
                    headers[name] = value
        for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
            if environ.get(key):
                headers[name] = environ[key]
        return headers

    def _judged(self, environ: dict[str, Any], start_response: StartResponse, answer: Any, url: str) -> Iterable[bytes]:
        """Hold the body (it must be read whole to be judged), judge it, and answer with the verdict."""
        deadline = time.monotonic() + self.timeout
        body = bytearray()
        chunks = answer.stream(CHUNK_BYTES, decode_content=False)
        try:
            for chunk in chunks:
                body += chunk
                if len(body) > MAX_BODY_BYTES:  # too large to judge: what came goes on, the rest streams
                    self.judge.count_passthrough()
                    start_response(_status_line(answer.status, answer.reason), _response_headers(answer))
                    return _resumed(bytes(body), chunks, answer)
                if time.monotonic() > deadline:
                    answer.release_conn()
                    return _problem(start_response, 504, "Upstream too slow", f"{url} did not finish its answer")
        except urllib3.exceptions.HTTPError as exc:
            answer.release_conn()
            return _upstream_failed(start_response, url, exc, self.timeout)
        answer.release_conn()
        raw = bytes(body)
        headers = _response_headers(answer)
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(raw))))  # a chunked answer, read whole: its length is known
        api_key = environ.get(self._key_environ)
        try:
            decoded = _decoded(raw, answer.headers)
        except (ValueError, zlib.error) as exc:  # br, zstd or a broken gzip: passed on as it came, unjudged
            LOG.warning("%s passes unjudged: %s", url, exc)
            start_response(_status_line(answer.status, answer.reason), headers)
            return [raw]
        response = Response(url, answer.status, answer.headers, decoded)
        try:
            failures = self.judge.judge(response, environ.get("QUERY_STRING", ""), api_key)
        except Exception:  # a team's check with a bug must not take the traffic down
            LOG.exception("judging %s failed; the answer passes unjudged", url)
            start_response(_status_line(answer.status, answer.reason), headers)
            return [raw]
        for failure in failures:
            LOG.warning("%s", redact(_log_line(failure, self.judge.spec.api_key_header), api_key))
        names = list(dict.fromkeys(failure.check for failure in failures))
        summary = f"{len(failures)}" + (f"; {', '.join(names)}" if names else "")
        if failures and self.strict:
            return _strict_answer(start_response, failures, headers, summary, api_key)
        headers.append((VIOLATIONS_HEADER, summary))
        _expose(headers)
        start_response(_status_line(answer.status, answer.reason), headers)
        return [raw]


def _raw_target(environ: dict[str, Any]) -> str:
    """The request's path and query as the client wrote them (no decoding and re-encoding on the way)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw if raw.startswith("/") else "/" + raw.split("/", 3)[-1]
    query = environ.get("QUERY_STRING", "")
    return environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")


def _request_body(environ: dict[str, Any]) -> Any:
    length = environ.get("CONTENT_LENGTH")
    return environ["wsgi.input"] if length and length != "0" else None


def _status_line(status: int, reason: str | None) -> str:
    return f"{status} {reason or ''}".rstrip()


def _response_headers(answer: Any) -> list[tuple[str, str]]:
    return [(name, value) for name, value in answer.headers.items() if name.lower() not in HOP_BY_HOP]


def _expose(headers: list[tuple[str, str]]) -> None:
    """Where the upstream exposes headers to browsers (CORS), ``X-Contract-Violations`` is exposed too."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == "access-control-expose-headers" and value.strip() != "*":
            headers[index] = (name, f"{value}, {VIOLATIONS_HEADER}")


def _decoded(raw: bytes, headers: Any) -> bytes:
    """The body as the checks read it: gzip and deflate undone on a copy (what is sent on stays as it came)."""
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompress(raw)
    if encoding not in ("", "identity"):
        raise ValueError(f"cannot read a body encoded as {encoding!r}")
    return raw


def _streamed(answer: Any) -> Iterator[bytes]:
    """An unjudged body passed on chunk by chunk, never held whole."""
    try:
        yield from answer.stream(CHUNK_BYTES, decode_content=False)
    except urllib3.exceptions.HTTPError as exc:
        LOG.warning("the upstream's answer broke off: %s", exc)
    finally:
        answer.release_conn()


def _resumed(start: bytes, rest: Iterator[bytes], answer: Any) -> Iterator[bytes]:
    try:
        yield start
        yield from rest
    except urllib3.exceptions.HTTPError as exc:
        LOG.warning("the upstream's answer broke off: %s", exc)
    finally:
        answer.release_conn()


def _log_line(failure: Failure, header: str) -> str:
    violation = failure.violation
    where = f" at {violation.path}" if violation.path else ""
    return (
        f"VIOLATION {failure.check}: {violation.summary}{where}; expected {violation.expected}; "
        f"got {violation.actual}; reproduce: {curl(failure.url, failure.credentials, header)}"
    )


def _strict_answer(
    start_response: StartResponse,
    failures: list[Failure],
    headers: list[tuple[str, str]],
    summary: str,
    api_key: str | None,
) -> list[bytes]:
    """A 502 problem saying what was wrong; the upstream's CORS headers kept, so a browser can read it."""
    problem = {
        "type": "about:blank",
        "title": "Contract violation",
        "status": 502,
        "detail": f"the upstream's answer breaks the contract ({summary})",
        "violations": [
            {
                "check": failure.check,
                "summary": failure.violation.summary,
                "expected": failure.violation.expected,
                "got": failure.violation.actual,
                "path": failure.violation.path,
            }
            for failure in failures
        ],
    }
    body = redact(orjson.dumps(problem).decode(), api_key).encode()
    kept = [(name, value) for name, value in headers if name.lower().startswith("access-control-")]
    kept += [
        ("Content-Type", "application/problem+json"),
        ("Content-Length", str(len(body))),
        (VIOLATIONS_HEADER, summary),
    ]
    _expose(kept)
    start_response("502 Bad Gateway", kept)
    return [body]


def _upstream_failed(start_response: StartResponse, url: str, exc: Exception, timeout: float) -> list[bytes]:
    # NewConnectionError (refused, unresolvable) derives from ConnectTimeoutError in urllib3 2: asked first.
    if isinstance(exc, urllib3.exceptions.TimeoutError) and not isinstance(exc, urllib3.exceptions.NewConnectionError):
        return _problem(start_response, 504, "Upstream timeout", f"no answer from {url} within {timeout:g} s")
    reason = exc.reason if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None else exc
    return _problem(start_response, 502, "Upstream unreachable", f"cannot get an answer from {url}: {_cause(reason)}")


def _cause(exc: BaseException) -> str:
    """Why, without urllib3's nesting and object addresses: ``connection refused``, ``Name or service not known``."""
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    return text.split(": ", 1)[-1] if isinstance(exc, urllib3.exceptions.NewConnectionError) else text


def _problem(start_response: StartResponse, status: int, title: str, detail: str) -> list[bytes]:
    LOG.warning("%d %s: %s", status, title, detail)
    body = orjson.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    reason = "Gateway Timeout" if status == 504 else "Bad Gateway"
    start_response(
        f"{status} {reason}", [("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))]
    )
    return [body]
