"""Staging manners: 429/503 with Retry-After are waited out and retried, a rate limit holds across threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from werkzeug.wrappers import Response as WsgiResponse

from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options
from contract_tests.running.runner import run
from contract_tests.running.setup import http_context
from contract_tests.sending.pacing import PoliteTransport, RateLimit, parse_rate, retry_after
from contract_tests.sending.transport import WsgiTransport
from customers_spec.errors import Unreachable
from tests.contract_tests.conftest import API_KEY, serving

HEADER = "x-API-Key"


def throttling(app: Any, answers: list[tuple[int, Callable[[], str] | None]]) -> Any:
    """``app`` behind a gateway that gives the next of ``answers`` (status, Retry-After) to the first requests."""
    lock = threading.Lock()

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            answer = answers.pop(0) if answers and environ["PATH_INFO"] == "/v2/customers" else None
        if answer is None:
            return app(environ, start_response)
        status, after = answer
        headers = {"Retry-After": after()} if after is not None else {}
        return WsgiResponse("slow down", status=status, headers=headers)(environ, start_response)

    return wrapped


@pytest.mark.parametrize(("text", "per_second"), [("10/s", 10.0), ("5", 5.0), ("120/m", 2.0), ("0.5/s", 0.5)])
def test_rates_are_read_per_second_minute_or_hour(text: str, per_second: float) -> None:
    assert parse_rate(text) == per_second


@pytest.mark.parametrize("text", ["", "0/s", "ten/s", "10/d", "-1"])
def test_a_rate_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="positive rate"):
        parse_rate(text)


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    now = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    assert retry_after("7", now=now) == 7.0
    assert retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90.0
    assert retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now=now) == 0.0
    assert retry_after("soon", now=now) is None
    assert retry_after(None, now=now) is None


def test_the_rate_limit_spaces_requests_of_all_threads() -> None:
    limit = RateLimit(50.0)  # one every 20 ms
    started = time.monotonic()

    def three() -> None:
        for _ in range(3):
            limit.acquire()

    threads = [threading.Thread(target=three) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= 11 * 0.02 * 0.95  # 12 requests: 11 intervals, whichever thread sent them


def test_a_throttled_run_waits_retries_and_says_how_often(mock_app: Callable[..., Any]) -> None:
    in_two_seconds = lambda: format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)  # noqa: E731
    at_once: tuple[int, Callable[[], str] | None] = (429, lambda: "0")
    answers = [at_once] * 3 + [(503, in_two_seconds)]
    with serving(throttling(mock_app(), answers)) as base_url:
        started = time.monotonic()
        ctx = http_context(base_url, API_KEY, rejects_invalid_keys=True)  # reading the sample meets the throttle
        outcome = run(ctx, select_checks(), Options(max_examples=10, profile=CI_PROFILE))
    assert outcome.exit_code == 0, text_report(outcome, HEADER)
    assert outcome.traffic.retries == 4 and not answers
    assert time.monotonic() - started >= 0.9  # the HTTP-date was waited for (whole seconds: 1-2 s from now)
    assert "retried: 4 requests after 429/503 with Retry-After" in text_report(outcome, HEADER)


def test_a_status_without_retry_after_is_judged_not_retried(mock_app: Callable[..., Any]) -> None:
    answers: list[tuple[int, Callable[[], str] | None]] = [(503, None)]
    transport = PoliteTransport(WsgiTransport(throttling(mock_app(), answers), API_KEY, header=HEADER))
    assert transport.send("http://localhost/v2/customers", "key").status == 503
    assert transport.traffic.retries == 0 and transport.traffic.requests == 1


def test_a_server_that_never_lets_go_ends_as_could_not_test(mock_app: Callable[..., Any]) -> None:
    answers: list[tuple[int, Callable[[], str] | None]] = [(429, lambda: "3600")] * 50
    inner = WsgiTransport(throttling(mock_app(), answers), API_KEY, header=HEADER)
    transport = PoliteTransport(inner, max_wait_s=0.01, budget_s=0.035)  # each hour-long wait capped at 10 ms
    with pytest.raises(Unreachable, match=r"kept answering 429 .* retry budget of 0.035 s is spent"):
        transport.send("http://localhost/v2/customers", "key")
    assert transport.traffic.retries == 3


def test_the_last_retry_gives_up_without_waiting_first(mock_app: Callable[..., Any]) -> None:
    answers: list[tuple[int, Callable[[], str] | None]] = [(503, lambda: "1")] * 50
    inner = WsgiTransport(throttling(mock_app(), answers), API_KEY, header=HEADER)
    transport = PoliteTransport(inner, max_wait_s=0.01)
    with pytest.raises(Unreachable, match=r"gave up after 10 retries of one request"):
        transport.send("http://localhost/v2/customers", "key")
    assert transport.traffic.requests == 11 and transport.traffic.retries == 10, "no wait is spent after the last"
