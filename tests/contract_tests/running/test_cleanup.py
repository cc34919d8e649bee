"""Every record created is removed at the end: on success, when a removal fails (the others still go), and when
SIGTERM or SIGINT interrupts the block."""

from __future__ import annotations

import os
import signal

import pytest

from contract_tests.running.cleanup import Cleanup, removed_at_exit


def test_what_was_written_is_removed_and_what_could_not_be_is_left() -> None:
    asked: list[str] = []

    def remove(path: str) -> bool:
        asked.append(path)
        if path == "/b":
            raise OSError("gone away")
        return path != "/c"

    cleanup = Cleanup(remove)
    for path in ("/a", "/b", "/c", "/d", "/a"):
        cleanup.created(path)
    cleanup.gone("/d")  # removed by a check itself
    cleanup.remove_all()
    assert (cleanup.written, cleanup.removed, cleanup.left) == (["/a", "/b", "/c", "/d"], ["/d", "/a"], ["/b", "/c"])
    assert asked == ["/a", "/b", "/c"]


@pytest.mark.parametrize(("number", "raised"), [(signal.SIGTERM, SystemExit), (signal.SIGINT, KeyboardInterrupt)])
def test_an_interrupted_run_removes_its_records_and_restores_the_handlers(number: int, raised: type) -> None:
    before = signal.getsignal(number)
    cleanup = Cleanup(lambda path: True)
    with pytest.raises(raised), removed_at_exit(cleanup):
        cleanup.created("/x")
        os.kill(os.getpid(), number)
        for _ in range(1000):  # the handler runs between bytecodes of this thread
            pass
    assert cleanup.removed == ["/x"]
    assert signal.getsignal(number) == before
