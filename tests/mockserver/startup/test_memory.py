"""The building process's memory: the collector paused while building, garbage collected and handed back after."""

from __future__ import annotations

import gc
import weakref

from mockserver.startup.memory import collector_paused, release_freed_memory


class _Node:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.itself = self


def test_the_collector_is_paused_while_building_and_left_as_it_was() -> None:
    enabled = gc.isenabled()
    try:
        gc.enable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # paused by someone else: still paused
    finally:
        (gc.enable if enabled else gc.disable)()


def test_releasing_freed_memory_collects_the_builds_garbage_cycles() -> None:
    enabled = gc.isenabled()
    gc.disable()  # only the release may collect the cycle
    try:
        alive = weakref.ref(_Node())
        assert alive() is not None
        release_freed_memory()
        assert alive() is None
    finally:
        if enabled:
            gc.enable()
