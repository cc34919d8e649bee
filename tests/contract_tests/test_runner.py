"""The runner: seeded runs repeat, a server that stops answering ends the run cleanly, checks are selectable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.context import Context
from contract_tests.failures import Unreachable
from contract_tests.registry import select_checks
from contract_tests.runner import Options, run, shares
from contract_tests.transport import Response
from customers_spec.errors import KitError


def recording(ctx: Context, fail_after: int | None = None) -> list[str]:
    """The URLs the context's transport sends, in order; it turns unreachable after ``fail_after`` sends."""
    urls: list[str] = []
    send = ctx.transport.send

    def wrapped(url: str, credentials: Any) -> Response:
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


def test_checks_are_selected_by_name() -> None:
    names = [check.name for check in select_checks(["sort_order", "page_size"])]
    assert names == ["page_size", "sort_order"]  # in registration order
    assert "sort_order" not in [check.name for check in select_checks(exclude=["sort_order"])]
    with pytest.raises(KitError, match="unknown check"):
        select_checks(["sort_order", "sort_ordr"])


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
