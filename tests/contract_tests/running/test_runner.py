"""The runner: seeded runs repeat, a server that stops answering ends the run cleanly, checks are selectable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running import pool
from contract_tests.running.findings import same_finding, simplicity
from contract_tests.running.records import Options
from contract_tests.running.runner import run, shares
from contract_tests.running.setup import http_context, loaded_context
from contract_tests.sending.transport import Response, WsgiTransport
from customers_spec import Spec
from customers_spec.errors import Unreachable
from selftest.faults import FAULTS
from tests.contract_tests.conftest import API_KEY, serving


def recording(ctx: Context, fail_after: int | None = None) -> list[str]:
    """The URLs the context's transport sends, in order; it turns unreachable after ``fail_after`` sends."""
    urls: list[str] = []
    send = ctx.transport.send
    lock = threading.Lock()

    def wrapped(url: str, credentials: Any) -> Response:
        with lock:
            if fail_after is not None and len(urls) >= fail_after:
                raise Unreachable(f"no answer from {url} within 1 s (timeout)")
            urls.append(url)
        return send(url, credentials)

    ctx.transport.send = wrapped  # type: ignore[method-assign]
    return urls


def test_a_seed_makes_a_run_repeat(mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> None:
    sent = []
    for _ in range(2):
        ctx = in_process(mock_app())
        urls = recording(ctx)
        outcome = run(ctx, select_checks(["filters_hold", "invalid_input_rejected"]), Options(max_examples=20, seed=9))
        assert outcome.exit_code == 0
        sent.append(urls)
    assert sent[0] == sent[1] and len(sent[0]) > 20


def test_a_server_that_stops_answering_ends_the_run_as_could_not_test(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    recording(ctx, fail_after=15)
    outcome = run(ctx, select_checks(), Options(max_examples=50, seed=1))
    assert outcome.exit_code == 2
    assert outcome.error is not None and outcome.error.endswith("within 1 s (timeout)")
    assert outcome.examples > 1, "it stopped mid-run, not before starting"


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [(10, [1, 1], [5, 5]), (10, [3, 1, 1], [6, 2, 2]), (7, [1, 1, 1], [3, 2, 2]), (2, [1, 1, 1], [1, 1, 0])],
)
def test_examples_are_shared_by_weight(total: int, weights: list[int], expected: list[int]) -> None:
    assert shares(total, weights) == expected


def test_only_requests_a_check_judged_count_as_passes(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    """A sort check on a page of fewer than two items judged nothing: the report must not count it as a pass."""
    outcome = run(in_process(mock_app()), select_checks(["page_size", "sort_order"]), Options(max_examples=20, seed=3))
    assert outcome.exit_code == 0
    assert 0 < outcome.passed["sort_order"] < outcome.passed["page_size"]


@pytest.mark.slow
def test_workers_send_the_same_requests_and_find_the_same_violations(mock_app: Callable[..., Any]) -> None:
    """Four workers send what one sends (in another order) and shrink to the same failures: the seed decides."""
    fault = next(fault for fault in FAULTS if fault.name == "X-Total-Count one too many")
    runs = []
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        for workers in (1, 4, 1):
            ctx = http_context(base_url, API_KEY, rejects_invalid_keys=True, workers=workers)
            urls = recording(ctx)
            checks = select_checks(["page_size", "total_count_consistent", "filters_hold", "auth_enforced"])
            outcome = run(ctx, checks, Options(max_examples=12, seed=5, workers=workers))
            runs.append((sorted(urls), [(failure.check, failure.url) for failure in outcome.failures], outcome))
    (serial_urls, serial_failures, serial), (pooled_urls, pooled_failures, pooled), (again_urls, _, _) = runs
    assert serial_failures and {check for check, _ in serial_failures} >= {"total_count_consistent"}
    assert pooled_failures == serial_failures
    assert pooled_urls == serial_urls == again_urls
    assert pooled.passed == serial.passed and pooled.examples == serial.examples


class SteppingClock:
    """A clock that moves ``step`` seconds each time it is read: the time limit falls after the same example
    however loaded the machine is (each example reads the clock once before it is sent)."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def monotonic(self) -> float:
        self.now += self.step
        return self.now


def test_a_run_stopped_by_max_time_says_what_it_covered(
    mock_app: Callable[..., Any], in_process: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "time", SteppingClock(0.05))  # as if every example took 50 ms
    outcome = run(in_process(mock_app()), select_checks(), Options(max_examples=200, seed=1, max_time=4.0))
    assert outcome.exit_code == 0 and outcome.stopped == "the time limit of 4 s was reached"
    assert 0 < outcome.examples < 200
    report = text_report(outcome, "x-API-Key")
    assert "stopped early" in report and "areas not reached: " in report
    assert report.endswith("no violations (stopped early)")
    reached = [area for area in outcome.areas if area.reached]
    assert 0 < len(reached) < len(outcome.areas)


def test_max_failures_stops_at_the_first_violations_a_full_run_reports_first(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    """The examples are sent in the same order either way, so the early stop finds the finding the full run finds
    first (the full run may replace its reproduction by a simpler one found later: ``findings.record``)."""
    fault = next(each for each in FAULTS if each.name == "name filter ignored")
    checks = select_checks(["filters_hold", "page_size"])
    wrap = fault.wrap
    assert wrap is not None
    full = run(in_process(wrap(mock_app())), checks, Options(max_examples=60, seed=3, shrink=False))
    early = run(in_process(wrap(mock_app())), checks, Options(max_examples=60, seed=3, shrink=False, max_failures=1))
    assert full.exit_code == early.exit_code == 1 and full.stopped is None
    assert early.stopped == "--max-failures 1 was reached" and early.examples < full.examples
    assert len(early.failures) == 1 and same_finding(early.failures[0], full.failures[0])
    assert simplicity(full.failures[0]) <= simplicity(early.failures[0])
    assert text_report(early, "x-API-Key").endswith("(stopped early)")
    shrunk = run(in_process(wrap(mock_app())), checks, Options(max_examples=60, seed=3, max_failures=1))
    assert shrunk.stopped == early.stopped and [failure.check for failure in shrunk.failures] == ["filters_hold"]
    assert len(shrunk.failures[0].url) <= len(early.failures[0].url), "the failure found is shrunk"


def test_what_could_not_be_generated_is_reported(mock_app: Callable[..., Any], spec: Spec) -> None:
    """Without the dataset no site id is known: the relation filters are named as not judged, not left out."""
    transport = WsgiTransport(mock_app(), API_KEY, header=spec.api_key_header)
    outcome = run(loaded_context(spec, transport), select_checks(["filters_hold"]), Options(max_examples=10, seed=1))
    relation_filters = sorted(name for name, rule in spec.filters.items() if any(c.via for c in rule.clauses))
    for name in relation_filters:
        assert any(gap.startswith(f"filter {name}: no id in objects is known") for gap in outcome.gaps)
    assert "not generated (so not judged):" in text_report(outcome, spec.api_key_header)


def test_time_up_while_shrinking_keeps_the_violations_found(
    mock_app: Callable[..., Any], in_process: Callable[..., Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "X-Total-Count one too many")
    ctx = in_process(fault.wrap(mock_app()))  # type: ignore[misc]
    monkeypatch.setattr(pool.ExamplePool, "time_is_up", lambda state: state.area.startswith("minimizing"))
    checks = select_checks(["total_count_consistent", "page_size"])
    outcome = run(ctx, checks, Options(max_examples=20, seed=4, max_time=3600))
    assert outcome.stopped is not None and outcome.exit_code == 1
    assert {failure.check for failure in outcome.failures} == {"total_count_consistent", "page_size"}
