"""The pool: examples judged in the order given whatever the workers, counted once, stopped by the clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.running.pool import ExamplePool, traffic
from contract_tests.running.progress import Progress
from contract_tests.running.records import Options, Outcome


def test_examples_come_back_in_order_counted_with_progress(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    cases = [Case("valid", (("limit", str(limit)),)) for limit in (1, 2, 3, 4)] + [Case("no_key")]
    seen: list[Progress] = []
    for workers in (1, 3):
        outcome = Outcome()
        pool = ExamplePool(
            ctx, select_checks(["page_size", "auth_enforced"]), Options(workers=workers), outcome, seen.append
        )
        try:
            judged = list(pool.execute(cases))
        finally:
            pool.close()
        assert [each.case for each in judged if each is not None] == cases
        assert outcome.examples == 5 and outcome.passed == {"page_size": 4, "auth_enforced": 1}
    assert [each.examples for each in seen] == [1, 2, 3, 4, 5] * 2 and seen[-1].area == "smoke requests"
    assert seen[-1].requests == traffic(ctx).requests > 0


def test_nothing_is_sent_once_the_time_is_up(mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> None:
    ctx = in_process(mock_app())
    outcome = Outcome()
    pool = ExamplePool(ctx, select_checks(["page_size"]), Options(max_time=0.0), outcome, None)
    sent = traffic(ctx).requests
    assert pool.time_is_up() and list(pool.execute([Case("valid")])) == [None]
    assert traffic(ctx).requests == sent and outcome.examples == 0


def test_enough_failures_is_counted_in_distinct_findings(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    outcome = Outcome()
    pool = ExamplePool(in_process(mock_app()), (), Options(max_failures=2), outcome, None)
    assert not pool.has_enough_failures()
    outcome.failures += [object(), object()]  # type: ignore[list-item]
    assert pool.has_enough_failures()
    assert not ExamplePool(in_process(mock_app()), (), Options(), outcome, None).has_enough_failures()
