"""The progress line: silent for short runs, one redrawn line for long ones, ending at the real count."""

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


def test_a_long_run_redraws_one_line_and_ends_it_at_the_real_count() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress(at(QUIET_S + 1, examples=40, retries=2))
    progress(at(QUIET_S + 1.1, examples=41))  # too soon to redraw
    progress(at(QUIET_S + 2, examples=50))
    progress(at(QUIET_S + 2.1, examples=100))  # too soon to redraw, but the last: drawn when the run finishes
    progress.finish()
    lines = stream.getvalue().split("\r\x1b[2K")
    assert lines == [
        "",
        "40/100 examples, 320 requests, 2 retries, 4 s: filter status",
        "50/100 examples, 400 requests, 5 s: filter status",
        "100/100 examples, 800 requests, 5 s: filter status\n",
    ]


def test_examples_sent_to_minimize_are_counted_apart() -> None:
    line = Progress(110, 100, "minimizing in filter status", 900, 0, 9.0, minimizing=10).line
    assert line == "100/100 examples + 10 minimizing, 900 requests, 9 s: minimizing in filter status"
