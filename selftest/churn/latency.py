"""Staging latency for the churning self-test: every answer some tens of milliseconds later, as over a network.

The churning mock answers in well under a millisecond, so a kit run against it lasts seconds and few writes land
in it; a staging answers in 20-50 ms, a run lasts minutes, and hundreds of writes land in it (issue 23). The
delay of the n-th answer is drawn from ``seed`` and n alone, so a seeded run waits alike every time (whichever
thread asks); it is waited before the app answers, so that a write made meanwhile is seen, as on a staging.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from customers_serving.application import WsgiApp

STAGING_MS = (20.0, 50.0)  # what a staging over a network answers in


class Delayed:
    """``app`` answering each request ``low``-``high`` ms later, a deterministic jitter drawn from ``seed``."""

    def __init__(
        self,
        app: WsgiApp,
        low_ms: float,
        high_ms: float,
        seed: int = 0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 <= low_ms <= high_ms:
            raise ValueError(f"latency must be 0 <= low <= high ms, got {low_ms}-{high_ms}")
        self.app, self.low_ms, self.high_ms, self.seed, self.sleep = app, low_ms, high_ms, seed, sleep
        self._count = itertools.count()
        self._lock = threading.Lock()

    def delay_ms(self, n: int) -> float:
        """The delay of the ``n``-th answer."""
        return self.low_ms + (self.high_ms - self.low_ms) * random.Random(f"latency-{self.seed}-{n}").random()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with self._lock:
            n = next(self._count)
        self.sleep(self.delay_ms(n) / 1000)
        return self.app(environ, start_response)
