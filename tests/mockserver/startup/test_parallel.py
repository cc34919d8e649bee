"""Workers: forked once, map in order, see what is shared before they fork, and end with their parent."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from mockserver.startup.parallel import HERE, Workers, shared, sharing, spilling
from selftest.servers import process_tree


def scaled(number: int) -> int:
    return number * shared()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork-only: elsewhere Workers runs the map in-process")
def test_workers_map_in_order_with_what_was_shared_before_they_forked() -> None:
    with sharing(3), Workers(2) as workers:
        assert list(workers.map(scaled, range(50))) == [3 * number for number in range(50)]
        assert os.getpid() not in set(workers.map(_pid, range(8)))  # run in the workers
    with sharing(5):
        assert list(HERE.map(scaled, [1, 2])) == [5, 10]


def _pid(_: int) -> int:
    return os.getpid()


def _array(number: int) -> np.ndarray:
    return np.full(100_000, number, dtype=np.int32)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork-only: elsewhere Workers runs the map in-process")
def test_workers_inside_spilling_hand_results_back_as_mapped_files(tmp_path: Path) -> None:
    with spilling(str(tmp_path)), Workers(2) as workers:
        results = list(workers.map(_array, range(6)))
    assert [int(result[0]) for result in results] == list(range(6))
    assert not any(result.flags.writeable for result in results)  # views of the files, not copies
    assert len(list(tmp_path.iterdir())) == 6  # the files, while their results are in use
    del results
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc to see the process tree")
def test_workers_end_when_the_process_that_forked_them_is_killed() -> None:
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        try:
            with Workers(2) as workers:
                list(workers.map(_pid, range(4)))
                time.sleep(60)
        finally:
            os._exit(0)
    deadline = time.monotonic() + 30
    while len(process_tree(child)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    pool = process_tree(child)[1:]
    assert len(pool) == 2
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    while any(map(_alive, pool)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, pool))


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except OSError:
        return False
    return text[text.rindex(")") + 2] != "Z"
