"""The progress line: silent for short runs, one redrawn line for long ones, cleared before the report."""

from __future__ import annotations

import io

from contract_tests.running.progress import QUIET_S, Progress, TerminalProgress


def at(seconds: float, examples: int = 5, retries: int = 0) -> Progress:
    return Progress(examples, 100, "filter status", examples * 8, retries, seconds)


def test_a_short_run_shows_nothing() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(at(QUIET_S / 2))
    progress.finish()
    assert stream.getvalue() == ""


def test_a_long_run_redraws_one_line_and_clears_it() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(at(QUIET_S + 1, examples=40, retries=2))
    progress(at(QUIET_S + 1.1, examples=41))  # too soon to redraw
    progress(at(QUIET_S + 2, examples=50))
    progress.finish()
    lines = stream.getvalue().split("\r\x1b[2K")
    assert lines == [
        "",
        "40/100 examples, 320 requests, 2 retries, 4 s: filter status",
        "50/100 examples, 400 requests, 5 s: filter status",
        "",
    ]
