"""Confirming within a budget, so that a run on data that moves too fast to confirm ends "could not judge" in
bounded time instead of asking again for ever.

Each disagreement between answers is asked again in windows (``confirmation``); on a staging that answers in
tens of milliseconds and is written to many times a second, each window costs a second or so and most see the
data move. Confirming may take as long as the rest of the run (at least ``MIN_SECONDS``): a run then lasts at
most about twice what it would on still data. Once that is spent, a disagreement is left unsettled without
being asked again, and the run says so. The record counts the windows, how many saw the data move, and the
items found gone, for the verdict's "the data was seen to move in N of M windows".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MIN_SECONDS = 10.0  # confirming may always take this long


@dataclass
class Confirming:
    """What confirming cost and saw: windows asked, those in which the data moved, items gone, seconds, and the
    disagreements left unasked because the budget was spent (``seconds_allowed``: the budget when it was)."""

    windows: int = 0
    moved: int = 0
    gone: int = 0
    seconds: float = 0.0
    unasked: int = 0
    seconds_allowed: float = 0.0
    # disagreements naming items that were judged by the sign alone: the spec has no id filter, or the server's
    # answers to it did not hold just the asked items
    by_sign_alone: int = 0
    undecided: int = 0  # disagreements never settled in their windows (the data moved in nearly every one)


class ConfirmingBudget:
    """How long confirming may still take: as long as the rest of the run since ``start``, at least
    ``MIN_SECONDS`` (``seconds``: a fixed limit instead). Shared by every view of a run's context."""

    def __init__(self, seconds: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.fixed, self.clock = seconds, clock
        self.record = Confirming()
        self.started = clock()
        self._lock = threading.Lock()

    def start(self) -> None:
        """The run starts now: what it spends on anything but confirming is counted from here."""
        with self._lock:
            self.started, self.record = self.clock(), Confirming()

    def allowed(self) -> float:
        """The seconds confirming may take by now."""
        if self.fixed is not None:
            return self.fixed
        elsewhere = self.clock() - self.started - self.record.seconds
        return max(MIN_SECONDS, elsewhere)

    def spent(self) -> bool:
        """Whether confirming has taken all it may; a disagreement is then counted unasked (``unasked``)."""
        with self._lock:
            over = self.record.seconds >= self.allowed()
            if over:
                self.record.unasked += 1
                self.record.seconds_allowed = self.allowed()
            return over

    def by_sign_alone(self) -> None:
        """One disagreement naming items is judged by the sign alone (no id filter to read them with)."""
        with self._lock:
            self.record.by_sign_alone += 1

    def undecided(self) -> None:
        """One disagreement spent its windows without settling: nothing told a fault from a write."""
        with self._lock:
            self.record.undecided += 1

    def window(self, moved: bool, gone: int = 0) -> None:
        """One window asked: whether the data was seen to move in it, and how many asked items were gone."""
        with self._lock:
            self.record.windows += 1
            self.record.moved += moved
            self.record.gone += gone

    @contextmanager
    def timing(self) -> Iterator[None]:
        """Count the time of one disagreement's confirming."""
        began = self.clock()
        try:
            yield
        finally:
            with self._lock:
                self.record.seconds += self.clock() - began
