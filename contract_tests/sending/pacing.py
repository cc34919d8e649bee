"""Staging manners: a request rate cap shared by every worker, and 429/503 answers with ``Retry-After`` waited out.

A server that says "too many requests" or "unavailable, come back in N seconds" is not breaking the contract:
the kit waits as told and asks again. Waiting is bounded twice, so a server that never lets go cannot hold a CI
job for ever: each wait is capped (``MAX_WAIT_S``) and all waits of a run share one budget; once that is spent
the run ends as "could not test" (exit 2), naming the status and suggesting ``--rate-limit``. A 429 or 503
without ``Retry-After`` is an answer like any other and the checks judge it.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from contract_tests.generation.cases import Credentials
from contract_tests.sending.transport import Response, Transport
from customers_spec.errors import Unreachable

RETRY_STATUSES = frozenset({429, 503})
MAX_WAIT_S = 60.0  # one Retry-After longer than this is waited only this long
RETRY_BUDGET_S = 300.0  # all waits of one run together
MAX_RETRIES_PER_REQUEST = 10
RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*([smh]))?\s*$")
PER_UNIT_S = {"s": 1.0, "m": 60.0, "h": 3600.0}


def parse_rate(text: str) -> float:
    """Requests per second of ``N/s``, ``N/m`` or ``N/h`` (a bare ``N`` is per second); raises ``ValueError``."""
    found = RATE.match(text)
    if found is None or float(found.group(1)) <= 0:
        raise ValueError(f"expected a positive rate such as 10/s, 300/m or 5000/h, not {text!r}")
    return float(found.group(1)) / PER_UNIT_S[found.group(2) or "s"]


def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """The seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP-date); None when unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RateLimit:
    """A token bucket: at most ``per_second`` requests a second on average, bursts of one; thread-safe."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until this request may go; callers are served in the order they asked."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


@dataclass
class Traffic:
    """What a run sent: requests, retries after 429/503 and the seconds spent waiting for them (thread-safe)."""

    requests: int = 0
    retries: int = 0
    waited_s: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def sent(self) -> None:
        with self._lock:
            self.requests += 1

    def may_wait(self, seconds: float, budget_s: float) -> bool:
        """Reserve ``seconds`` of the retry budget; False when it would overrun it."""
        with self._lock:
            if self.waited_s + seconds > budget_s:
                return False
            self.retries += 1
            self.waited_s += seconds
            return True


class PoliteTransport:
    """Wraps a transport: every request waits for the rate limit, and 429/503 + ``Retry-After`` is retried."""

    def __init__(
        self,
        inner: Transport,
        *,
        rate_limit: RateLimit | None = None,
        max_wait_s: float = MAX_WAIT_S,
        budget_s: float = RETRY_BUDGET_S,
    ) -> None:
        self.inner = inner
        self.base_url = inner.base_url
        self.rate_limit = rate_limit
        self.max_wait_s = max_wait_s
        self.budget_s = budget_s
        self.traffic = Traffic()

    def send(self, url: str, credentials: Credentials) -> Response:
        for attempt in range(MAX_RETRIES_PER_REQUEST + 1):
            response = self._send_once(url, credentials)
            wait = retry_after(response.header("Retry-After")) if response.status in RETRY_STATUSES else None
            if wait is None:
                return response
            if attempt == MAX_RETRIES_PER_REQUEST:
                break  # no wait before giving up: nothing would be sent after it
            wait = min(wait, self.max_wait_s)
            if not self.traffic.may_wait(wait, self.budget_s):
                raise Unreachable(self._gave_up(response, f"the retry budget of {self.budget_s:g} s is spent"))
            time.sleep(wait)
        raise Unreachable(self._gave_up(response, f"{MAX_RETRIES_PER_REQUEST} retries of one request"))

    def _send_once(self, url: str, credentials: Credentials) -> Response:
        if self.rate_limit is not None:
            self.rate_limit.acquire()
        self.traffic.sent()
        return self.inner.send(url, credentials)

    def _gave_up(self, response: Response, why: str) -> str:
        return (
            f"the server kept answering {response.status} with Retry-After ({response.url}); gave up after {why}"
            f" ({self.traffic.retries} retries in this run); try a lower --rate-limit"
        )

    def close(self) -> None:
        self.inner.close()
