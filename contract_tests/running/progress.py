"""A progress line on a terminal for runs longer than a few seconds; nothing at all in CI logs or pipes."""

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


class TerminalProgress:
    """Redraws one line on ``stream`` (the CLI passes stderr only when it is a TTY) after each example."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn_at: float | None = None

    def __call__(self, progress: Progress) -> None:
        if progress.elapsed_s < QUIET_S:
            return
        if self.drawn_at is not None and progress.elapsed_s - self.drawn_at < EVERY_S:
            return
        self.drawn_at = progress.elapsed_s
        retries = f", {progress.retries} retries" if progress.retries else ""
        line = (
            f"{progress.examples}/{progress.planned} examples, {progress.requests} requests{retries},"
            f" {progress.elapsed_s:.0f} s: {progress.area}"
        )
        self.stream.write("\r\x1b[2K" + line[:110])
        self.stream.flush()

    def finish(self) -> None:
        """Clear the line, so the report starts on a clean one."""
        if self.drawn_at is not None:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
