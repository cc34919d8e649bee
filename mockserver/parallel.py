"""Mapping a function over tasks in forked worker processes, in order, where that is safe.

The start-up work (reading, generating, ranking and indexing 100,000 or more customers) is CPU-bound Python;
forked workers run it on every core. A function run there reads what it shares from ``shared()`` (set by
``sharing`` before the workers fork, so it reaches them without being pickled) and returns a small, picklable
result.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
MAX_PROCESSES = 4  # beyond that the parent's merging, not the workers, sets the pace

_shared: list[Any] = []


@contextmanager
def sharing(value: Any) -> Iterator[None]:
    """Make ``value`` what ``shared()`` returns in the workers forked inside this block (and here)."""
    _shared.append(value)
    try:
        yield
    finally:
        _shared.pop()


def shared() -> Any:
    """The value of the innermost ``sharing`` block."""
    return _shared[-1]


def processes() -> int:
    """How many processes ``in_order`` uses: one per core it may run on, at most ``MAX_PROCESSES``; 1 where
    forking is not safe (no ``fork``, or other threads run: forking them is unsafe)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES))


def in_order(function: Callable[[Task], Result], tasks: Sequence[Task]) -> Iterator[Result]:
    """``map(function, tasks)``, run by ``processes()`` forked workers when there are several tasks."""
    count = min(processes(), len(tasks))
    if count < 2:
        yield from map(function, tasks)
        return
    with multiprocessing.get_context("fork").Pool(count) as pool:
        yield from pool.imap(function, tasks)
