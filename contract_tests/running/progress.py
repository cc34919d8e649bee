"""A progress line on a terminal for runs longer than a few seconds; nothing at all in CI logs or pipes.

The line ends at the real count: the last state is drawn when the run finishes, whatever the redraw interval
skipped, and examples sent to minimize failures are counted apart from the planned ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

QUIET_S = 3.0  # a run shorter than this shows no progress
EVERY_S = 0.5  # redraw at most this often


@dataclass(frozen=True)
class Progress:
    """A run's progress, passed to the ``progress`` callback after each example."""

    examples: int
    planned: int
    area: str
    requests: int
    retries: int
    elapsed_s: float
    minimizing: int = 0  # of ``examples``: those sent to minimize failures

    @property
    def line(self) -> str:
        retries = f", {self.retries} retries" if self.retries else ""
        explored = self.examples - self.minimizing
        minimized = f" + {self.minimizing} minimizing" if self.minimizing else ""
        return (
            f"{explored}/{self.planned} examples{minimized}, {self.requests} requests{retries},"
            f" {self.elapsed_s:.0f} s: {self.area}"
        )


class TerminalProgress:
    """Redraws one line on ``stream`` (the CLI passes stderr only when it is a TTY) after each example."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn_at: float | None = None
        self.last: Progress | None = None

    def __call__(self, progress: Progress) -> None:
        self.last = progress
        if progress.elapsed_s < QUIET_S:
            return
        if self.drawn_at is not None and progress.elapsed_s - self.drawn_at < EVERY_S:
            return
        self.drawn_at = progress.elapsed_s
        self._draw(progress)

    def finish(self) -> None:
        """Draw the final count and end the line, so the report starts on a clean one."""
        if self.drawn_at is None or self.last is None:
            return
        self._draw(self.last)
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, progress: Progress) -> None:
        self.stream.write("\r\x1b[2K" + progress.line[:110])
        self.stream.flush()
