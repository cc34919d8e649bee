"""How the kit sends requests: to a live URL (requests) or to a WSGI app in-process (werkzeug).

Both transports send the API key (and a gateway's headers) only to the base URL's origin and follow no
redirects, so a redirecting or misbehaving server never learns them for another host. Nothing here prints or
stores them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol
from urllib.parse import urlsplit

import orjson
import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.datastructures import Headers
from werkzeug.test import Client

from contract_tests.generation.cases import Credentials
from contract_tests.sending.gateway import Gateway
from customers_spec.errors import Unreachable

WRONG_KEY = "contract-tests-not-a-valid-key"
MAX_BODY_BYTES = 64 * 2**20  # a page of 1,000 customers is about 1 MB
CHUNK_BYTES = 64 * 1024  # read at a time from an answer's body, here and in the proxy


@dataclass(eq=False)
class Response:
    """A received response: status, headers (looked up case-insensitively) and the raw body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # what checks derived from it, computed once

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-cased (``application/json``)."""
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()

    @cached_property
    def json(self) -> Any:
        """The body as JSON; raises ``ValueError`` when it is not JSON."""
        return orjson.loads(self.body)


class Transport(Protocol):
    """Sends one GET to an absolute URL with the given credentials."""

    base_url: str

    def send(self, url: str, credentials: Credentials) -> Response: ...

    def close(self) -> None: ...


def origin(url: str) -> tuple[str, str]:
    """The scheme and host:port of a URL, which decides where the API key may go."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


@dataclass
class KeyHeaders:
    """Builds request headers, adding the key and a gateway's headers only for the base URL's origin.

    The gateway's headers go with every credentials: the auth checks vary the API key header alone.
    """

    base_url: str
    header: str
    api_key: str = field(repr=False)
    gateway: Mapping[str, str] = field(default_factory=dict, repr=False)

    def for_url(self, url: str, credentials: Credentials) -> dict[str, str]:
        if not self.header:  # the spec asks for no key: none is sent
            return dict(self.gateway) if origin(url) == origin(self.base_url) else {}
        if origin(url) != origin(self.base_url):
            return {self.header: WRONG_KEY} if credentials == "wrong" else {}
        headers = dict(self.gateway)
        if credentials == "wrong":
            headers[self.header] = WRONG_KEY
        elif credentials == "key":
            headers[self.header] = self.api_key
        return headers


class HttpTransport:
    """A live server over HTTP: one session (shared by the workers), a timeout per request, no redirects."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        header: str,
        timeout: float = 10.0,
        connections: int = 10,
        gateway: Gateway | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        gateway = gateway or Gateway()
        self._headers = KeyHeaders(self.base_url, header, api_key, gateway.sent())
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies or .netrc from the environment: the key goes nowhere else
        self._session.cert = gateway.cert
        if gateway.ca_bundle is not None:
            self._session.verify = str(gateway.ca_bundle)
        pooled = HTTPAdapter(pool_connections=1, pool_maxsize=connections)
        for scheme in ("http://", "https://"):  # one kept-alive connection per concurrent worker
            self._session.mount(scheme, pooled)

    def send(self, url: str, credentials: Credentials) -> Response:
        """One GET, whole answer within ``timeout`` seconds (a server dribbling bytes is stopped too)."""
        headers = self._headers.for_url(url, credentials)
        deadline = time.monotonic() + self.timeout
        try:
            answer = self._session.get(url, headers=headers, timeout=self.timeout, allow_redirects=False, stream=True)
        except requests.Timeout as exc:
            raise Unreachable(f"no answer from {url} within {self.timeout:g} s (timeout)") from exc
        except requests.ConnectionError as exc:
            raise Unreachable(_unanswered(self.base_url, url, exc)) from exc
        except requests.RequestException as exc:
            raise Unreachable(f"the request to {url} failed: {_reason(exc)}") from exc
        with answer:
            try:
                body = _read_body(answer, url, deadline, self.timeout)
            except requests.Timeout as exc:
                raise Unreachable(f"the body of {url} did not arrive within {self.timeout:g} s (timeout)") from exc
            except requests.RequestException as exc:
                reason = _reason(exc)
                raise Unreachable(f"the connection closed while the body of {url} was read: {reason}") from exc
        return Response(url, answer.status_code, answer.headers, body)

    def close(self) -> None:
        self._session.close()


class WsgiTransport:
    """A WSGI app called in-process (werkzeug's test client): the same checks, no sockets, much faster."""

    def __init__(
        self,
        app: Callable[..., Any],
        api_key: str,
        *,
        header: str,
        base_url: str = "http://localhost",
        gateway: Gateway | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = KeyHeaders(self.base_url, header, api_key, (gateway or Gateway()).sent())
        self._client = Client(app)

    def send(self, url: str, credentials: Credentials) -> Response:
        headers = self._headers.for_url(url, credentials)
        answer = self._client.get(url, headers=headers, follow_redirects=False)
        try:
            return Response(url, answer.status_code, _joined(answer.headers), answer.get_data())
        finally:
            answer.close()

    def close(self) -> None:
        """Nothing to release; present so both transports are closed alike."""


def _read_body(answer: requests.Response, url: str, deadline: float, timeout: float) -> bytes:
    """The body, read in chunks against an overall deadline and a size limit."""
    body = bytearray()
    for chunk in _chunks(answer):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise Unreachable(f"the answer to {url} is too large (over {MAX_BODY_BYTES // 2**20} MB)")
        if time.monotonic() > deadline:
            raise Unreachable(f"no complete answer from {url} within {timeout:g} s (timeout: too slow)")
    return bytes(body)


def _chunks(answer: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: ``read1`` returns whatever came, so a deadline is checked between dribbles."""
    raw = answer.raw
    if not hasattr(raw, "read1"):  # urllib3 1.x
        yield from answer.iter_content(CHUNK_BYTES)
        return
    try:
        while chunk := raw.read1(CHUNK_BYTES, decode_content=True):
            yield chunk
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.Timeout(str(exc)) from exc
    except urllib3.exceptions.HTTPError as exc:
        raise requests.ConnectionError(exc) from exc


def _unanswered(base_url: str, url: str, exc: requests.ConnectionError) -> str:
    """Why no answer came: nobody listening, or a server that closed the connection without a status line."""
    reason = _reason(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        hint = "a private CA: --ca-bundle FILE; a client certificate: --client-cert FILE"
        return f"the TLS handshake with {base_url} failed: {reason} ({hint})"
    if any(word in reason.lower() for word in ("closed", "reset", "aborted", "broken pipe")):
        return f"the server closed the connection without answering {url}: {reason}"
    return f"cannot connect to {base_url}: {reason}"


def _reason(exc: requests.RequestException) -> str:
    """The innermost cause, e.g. ``[Errno 111] Connection refused``, without requests' nesting."""
    cause: BaseException = exc
    while cause.__context__ is not None or cause.__cause__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    text = str(cause)
    return "connection refused" if "refused" in text.lower() else text


def _joined(headers: Headers) -> Mapping[str, str]:
    """Werkzeug's headers as the live transport sees them: case-insensitive, a repeated header joined by ", "."""
    return CaseInsensitiveDict({name: ", ".join(headers.getlist(name)) for name in headers.keys()})  # noqa: SIM118
