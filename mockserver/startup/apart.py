"""Building a large store in a child process, so that the server (and every worker it forks) holds only the
store, never the garbage of building it.

Loading 100,000 customers makes millions of short-lived Python objects; freed, they still fragment the heap,
and every gunicorn worker forked afterwards starts with those pages resident. Built in a forked child, the store
is written to one file (``mockserver.startup.mapped``), which the server maps read-only: the arrays are the
file's pages, shared by the master and all workers, and resident in a process only where it reads them. The file
is unlinked once mapped. The child's own workers hand their pieces back as files in the same scratch directory
(``mockserver.startup.parallel.spilling``), which this process removes whatever becomes of the child. Where
``fork`` is missing, or other threads run (forking them is unsafe), the store is built in-process.
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from customers_spec.errors import DataError
from mockserver.startup.mapped import dump, load, scratch_directory
from mockserver.startup.parallel import spilling

Built = TypeVar("Built")
SCRATCH_PREFIX = "mockserver-build-"  # then the server's process id


def build_apart(make: Callable[[], Built]) -> Built:
    """``make()`` run in a forked child and handed back mapped; in-process where forking is not safe."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return make()
    directory = scratch_directory()
    _remove_abandoned(directory)
    scratch = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=directory)
    try:
        return _built_in_child(make, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # the store's file, and any piece a worker left


def _remove_abandoned(directory: str | None) -> None:
    """Remove the scratch directories of servers that ended without removing theirs (killed with SIGKILL during
    start-up): in ``/dev/shm`` they would hold memory until the machine restarts, gigabytes at 1,000,000
    customers. A directory is named after its server's process id; one whose process runs is left alone."""
    for path in Path(directory or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        owner = path.name.removeprefix(SCRATCH_PREFIX).partition("-")[0]
        if owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _built_in_child(make: Callable[[], Built], scratch: str) -> Built:
    descriptor, _ = tempfile.mkstemp(prefix="store-", dir=scratch)
    try:
        read_end, write_end = os.pipe()
        try:
            child = os.fork()
        except OSError:  # no process to be had: the pipe is ours to close
            os.close(read_end)
            os.close(write_end)
            raise
        if child == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(read_end)
            with spilling(scratch):
                _child(make, descriptor, write_end)
        os.close(write_end)
        try:
            with os.fdopen(read_end, "rb") as reader:
                failure = reader.read()
        except BaseException:  # interrupted (Ctrl-C): the child must not outlive us as a zombie
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            raise
        _, status = os.waitpid(child, 0)
        if failure:
            raise _failure(failure)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"building the store failed (exit status {os.waitstatus_to_exitcode(status)})")
        built: Built = load(descriptor, scratch)  # type: ignore[assignment]  # what ``make`` returned, pickled
        return built
    finally:
        os.close(descriptor)


def _child(make: Callable[[], object], descriptor: int, write_end: int) -> None:  # pragma: no cover
    gc.disable()  # loading makes millions of objects and no garbage cycles; the child exits right after
    code = 0
    try:
        dump(make(), descriptor)
        message = b""
    except BaseException as exc:  # every failure goes to the parent, which reports it
        code = 1
        try:
            message = pickle.dumps(exc)
        except Exception:
            message = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
    try:
        os.write(write_end, message)
    finally:
        os._exit(code)


def _failure(message: bytes) -> BaseException:
    try:
        failure = pickle.loads(message)
    except Exception:
        return RuntimeError("building the store failed")
    return failure if isinstance(failure, BaseException) else DataError(str(failure))
