"""``contract-tests proxy``: the contract judged on traffic the kit did not make (a frontend, an end-to-end suite).

Each request goes to the upstream unchanged (method, path, query, headers, the client's API key too, which is
never logged or stored) and each answer comes back unchanged. Answers of the spec's operation are judged on
the way back by every check that sends no request of its own (``Check.follow_ups`` is False): the proxy only
watches, it never adds traffic. A judged answer gets ``X-Contract-Violations`` (count and check names) and
``X-Contract-Violation-Details`` (JSON), each violation a log line with a curl that reproduces it (the client's
headers included, credentials as shell variables); ``strict`` turns a violating answer into a 502 problem.
Behind a gateway the proxy adds its headers and client certificate (``gateway``) to every forwarded request.
The proxy's own answers (502/504 for an upstream that failed) carry CORS headers and are counted for the
summary at exit.

The server is gunicorn's gthread worker (``proxy.server``) with a pooled urllib3 client to the upstream, chosen
by measurement (``bench/bench_proxy.py``); everything the run found is in ``ProxyJudge.outcome`` for the summary
at exit. A body in an encoding the checks cannot read (``br``, ``zstd``) passes on unjudged.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import urllib3

from contract_tests.proxy.answers import (
    StartResponse,
    expose,
    own_cors,
    own_preflight,
    problem,
    strict_answer,
    upstream_problem,
    verdict_headers,
)
from contract_tests.proxy.bodies import decompressed, resumed, streamed
from contract_tests.proxy.client import ClientReader
from contract_tests.proxy.judge import ProxyJudge
from contract_tests.proxy.log import LOG, log_line
from contract_tests.reporting.redaction import redact
from contract_tests.sending.gateway import Gateway
from contract_tests.sending.transport import CHUNK_BYTES, MAX_BODY_BYTES, Response
from customers_spec.errors import KitError

# Connection-level headers (RFC 9110 7.6.1) belong to one hop and are never forwarded either way.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding"}
    | {"upgrade", "proxy-connection", "host"}
)


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
        gateway: Gateway | None = None,
    ) -> None:
        self.judge = judge
        self.gateway = gateway or Gateway()
        self.strict = strict
        self.timeout = timeout
        self.preserve_host = preserve_host  # the client's Host goes on; else the upstream's, plus X-Forwarded-Host
        parts = urlsplit(judge.upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KitError(f"--upstream must be an http:// or https:// URL, not {judge.upstream!r}")
        self._host = parts.netloc
        self._clients = ClientReader(judge.spec.api_key_header, self.gateway)
        self._pool = urllib3.PoolManager(num_pools=4, maxsize=pool_size, retries=False, **_tls(self.gateway))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        target = _raw_target(environ)
        url = self.judge.upstream + target
        path = environ.get("PATH_INFO", "")
        preflight = method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
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
            if preflight:
                LOG.warning("%s: the upstream did not answer the preflight; the proxy allowed it", url)
                return own_preflight(start_response, environ)
            return self._own(start_response, environ, *upstream_problem(url, exc, self.timeout))
        if preflight or not self.judge.judges(method, path):
            self.judge.count_passthrough()
            start_response(_status_line(answer.status, answer.reason), _response_headers(answer))
            return streamed(answer)
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
        added = self.gateway.sent()  # the gateway's credentials are the proxy's: they replace the client's
        lowered = {name.lower() for name in added}
        return {name: value for name, value in headers.items() if name.lower() not in lowered} | added

    def _own(
        self, start_response: StartResponse, environ: dict[str, Any], status: int, title: str, detail: str
    ) -> list[bytes]:
        """An answer of the proxy's own (the upstream failed), counted for the summary, readable by a page."""
        self.judge.count_own(status)
        return problem(start_response, status, title, detail, own_cors(environ))

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
                    return resumed(bytes(body), chunks, answer)
                if time.monotonic() > deadline:
                    answer.release_conn()
                    late = f"{url} did not finish its answer"
                    return self._own(start_response, environ, 504, "Upstream too slow", late)
        except urllib3.exceptions.HTTPError as exc:
            answer.release_conn()
            return self._own(start_response, environ, *upstream_problem(url, exc, self.timeout))
        answer.release_conn()
        raw = bytes(body)
        headers = _response_headers(answer)
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(raw))))  # a chunked answer, read whole: its length is known
        client = self._clients.read(environ)
        try:
            decoded = decompressed(raw, answer.headers)
        except (ValueError, zlib.error) as exc:  # br, zstd or a broken gzip: passed on as it came, unjudged
            LOG.warning("%s passes unjudged: %s", url, exc)
            start_response(_status_line(answer.status, answer.reason), headers)
            return [raw]
        response = Response(url, answer.status, answer.headers, decoded)
        try:
            failures = self.judge.judge(response, environ.get("QUERY_STRING", ""), client)
        except Exception:  # a team's check with a bug must not take the traffic down
            LOG.exception("judging %s failed; the answer passes unjudged", url)
            start_response(_status_line(answer.status, answer.reason), headers)
            return [raw]
        for failure in failures:
            LOG.warning("%s", redact(log_line(failure, self.judge.spec.api_key_header), client.secrets))
        names = list(dict.fromkeys(failure.check for failure in failures))
        summary = f"{len(failures)}" + (f"; {', '.join(names)}" if names else "")
        if failures and self.strict:
            return strict_answer(start_response, failures, headers, summary, client.secrets)
        headers += verdict_headers(failures, summary, client.secrets)
        expose(headers)
        start_response(_status_line(answer.status, answer.reason), headers)
        return [raw]


def _tls(gateway: Gateway) -> dict[str, Any]:
    """The pool's TLS settings for an https upstream: the gateway's CA bundle and client certificate."""
    settings: dict[str, Any] = {"ca_certs": str(gateway.ca_bundle)} if gateway.ca_bundle else {}
    if gateway.client_cert is not None:
        settings["cert_file"] = str(gateway.client_cert)
        settings["key_file"] = str(gateway.client_key) if gateway.client_key else None
    return settings


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
