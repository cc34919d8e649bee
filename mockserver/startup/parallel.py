"""Mapping functions over tasks in forked worker processes, in order, where that is safe.

The start-up work (reading, generating, ranking and indexing 100,000 or more customers) is CPU-bound Python;
``Workers`` runs it on every core. The workers are forked once, early, while the forking process is still
small: a process forked later would start with (and, in RSS, be counted with) everything gathered so far. What
the workers share is set by ``sharing`` before they fork (``shared()`` reads it, nothing is pickled); anything
made later travels in the tasks, so tasks and results should be compact (arrays, bytes, packed strings).
Inside a ``spilling`` block the results come back as files that are mapped, not copied through the pool's pipe
(``mockserver.startup.mapped``): at 100,000 customers that saved about 0.7 of the start-up's 9 CPU seconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any, TypeVar

from mockserver.startup.mapped import dump_file, load_file

Task = TypeVar("Task")
Result = TypeVar("Result")
MAX_PROCESSES = 4  # beyond that the parent's merging, not the workers, sets the pace
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends

_shared: list[Any] = []
_spill: list[str] = []


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


@contextmanager
def spilling(directory: str) -> Iterator[None]:
    """Let the workers of the pools made inside this block hand their results back as files in ``directory``
    (``mockserver.startup.mapped.load_file``: a file goes when its result is no longer used, or with the directory)."""
    _spill.append(directory)
    try:
        yield
    finally:
        _spill.pop()


def spill_directory() -> str | None:
    """The directory of the innermost ``spilling`` block; None outside one."""
    return _spill[-1] if _spill else None


def processes() -> int:
    """How many processes ``Workers`` forks: one per core it may run on, at most ``MAX_PROCESSES``; none where
    forking is not safe (no ``fork``, or other threads run: forking them is unsafe)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES))


class Workers:
    """A pool of forked processes (or none: then ``map`` runs here), used as a context manager."""

    def __init__(self, count: int | None = None) -> None:
        self._count = processes() if count is None else count
        self._pool: Any = None
        self._spill: str | None = None

    def __enter__(self) -> Workers:
        if self._count >= 2:
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(self._count, initializer=_die_with_parent, initargs=(os.getpid(),))
            self._spill = spill_directory()
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def map(self, function: Callable[[Task], Result], tasks: Sequence[Task]) -> Iterator[Result]:
        """``map(function, tasks)`` in the workers (in order); here when there are none or one task."""
        if self._pool is None or len(tasks) < 2:
            return map(function, tasks)
        if self._spill is None:
            return self._pool.imap(function, tasks)  # type: ignore[no-any-return]
        return map(load_file, self._pool.imap(partial(_spilled, function, self._spill), tasks))  # type: ignore[arg-type]


def _spilled(function: Callable[[Task], Result], directory: str, task: Task) -> str:
    """``function(task)`` dumped to a file in ``directory`` (run in a worker); the file's path."""
    return dump_file(function(task), directory)


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the process that forked it does (killed, say, when start-up is interrupted):
    a pool worker otherwise waits for tasks forever. Linux only; elsewhere the pool ends its workers itself."""
    name = ctypes.util.find_library("c")
    if name is not None and sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(name).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)


HERE = Workers(1)  # no workers: everything runs in this process
