"""Everything the write checks create is removed at the end: when they pass, when a check fails, and when the run
is interrupted (SIGINT, SIGTERM), so a shared staging keeps no test record. Each record is registered the moment
its create is answered, before anything is judged; what was written and removed is kept for the report, and what
could not be removed is named there (with the marker every test record carries, a team finds any left)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

Remove = Callable[[str], bool]  # deletes the record at this path; whether it is gone


@dataclass
class Cleanup:
    """The records a run created (their paths), and which were removed."""

    remove: Remove
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    def created(self, path: str) -> None:
        if path not in self.written:
            self.written.append(path)

    def gone(self, path: str) -> None:
        """A record a check removed itself."""
        if path in self.written and path not in self.removed:
            self.removed.append(path)

    def remove_all(self) -> None:
        """Remove every record still there; those that could not be are ``left``."""
        for path in self.written:
            if path in self.removed or path in self.left:
                continue
            try:
                done = self.remove(path)
            except Exception:  # one record not removed must not keep the others
                done = False
            (self.removed if done else self.left).append(path)


@contextmanager
def removed_at_exit(cleanup: Cleanup) -> Iterator[Cleanup]:
    """``cleanup`` run when the block ends however it ends; SIGINT and SIGTERM end it (as KeyboardInterrupt and
    SystemExit), so an interrupted run removes its records too."""

    def interrupted(number: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt if number == signal.SIGINT else SystemExit(128 + number)

    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    installed = False
    try:
        for number in previous:
            signal.signal(number, interrupted)
        installed = True
    except ValueError:  # not the main thread: the caller's own handling stays
        pass
    try:
        yield cleanup
    finally:
        try:
            cleanup.remove_all()
        finally:
            if installed:
                for number, handler in previous.items():
                    signal.signal(number, handler)
