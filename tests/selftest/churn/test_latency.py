"""Staging latency: each answer waits its delay first, within the bounds, jittered, and alike for a seed."""

from __future__ import annotations

from typing import Any

import pytest

from selftest.churn.latency import STAGING_MS, Delayed


def _app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [])
    return [b"ok"]


def delays(seed: int, count: int) -> list[float]:
    waited: list[float] = []
    app = Delayed(_app, *STAGING_MS, seed=seed, sleep=waited.append)
    for _ in range(count):
        assert app({}, lambda *_: None) == [b"ok"]
    return waited


def test_every_answer_waits_20_to_50_ms_jittered_and_alike_for_a_seed() -> None:
    first = delays(1, 200)
    assert all(0.020 <= each <= 0.050 for each in first)
    assert max(first) - min(first) > 0.020, "jittered over the range"
    assert delays(1, 200) == first and delays(2, 200) != first


def test_bounds_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="latency must be"):
        Delayed(_app, 50, 20)
