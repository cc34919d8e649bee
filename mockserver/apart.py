"""Building a large store in a child process, so that the server (and every worker it forks) holds only the
store, never the garbage of building it.

Loading 100,000 customers makes millions of short-lived Python objects; freed, they still fragment the heap,
and every gunicorn worker forked afterwards starts with those pages resident. Built in a forked child, the store
is written to one file: a pickle whose numpy arrays travel out of band (pickle protocol 5), each array's bytes
at an aligned offset. The server maps that file read-only and unpickles the store over the mapping, so the
arrays are the file's pages, shared by the master and all workers, and resident in a process only where it
reads them. The file is unlinked once mapped. Where ``fork`` is missing, or other threads run (forking them is
unsafe), the store is built in-process.
"""

from __future__ import annotations

import gc
import mmap
import os
import pickle
import signal
import struct
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from customers_spec.errors import DataError

Built = TypeVar("Built")
ALIGNMENT = 64
TRAILER = struct.Struct("<QQ")  # where the buffer table starts, and its length
SHARED_MEMORY = Path("/dev/shm")


def build_apart(make: Callable[[], Built]) -> Built:
    """``make()`` run in a forked child and handed back mapped; in-process where forking is not safe."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return make()
    directory = str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK) else None
    descriptor, path = tempfile.mkstemp(prefix="mockserver-store-", dir=directory)
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
        built: Built = load(descriptor)  # type: ignore[assignment]  # what ``make`` returned, pickled
        return built
    finally:
        os.close(descriptor)
        os.unlink(path)


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


def dump(value: object, descriptor: int) -> None:
    """``value`` pickled to the file, its out-of-band buffers aligned after the pickle, then their table."""
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    with os.fdopen(os.dup(descriptor), "wb") as stream:
        stream.write(payload)
        table = []
        offset = len(payload)
        for buffer in buffers:
            raw = buffer.raw()
            padding = -offset % ALIGNMENT
            stream.write(b"\0" * padding)
            offset += padding
            stream.write(raw)
            table.append((offset, raw.nbytes))
            offset += raw.nbytes
        encoded = pickle.dumps((len(payload), table), protocol=5)
        stream.write(encoded)
        stream.write(TRAILER.pack(offset, len(encoded)))


def load(descriptor: int) -> object:
    """The value of ``dump``, its buffers read-only views of the mapped file."""
    mapped = mmap.mmap(descriptor, 0, prot=mmap.PROT_READ)
    view = memoryview(mapped)
    table_at, table_length = TRAILER.unpack(view[len(view) - TRAILER.size :])
    payload_length, table = pickle.loads(view[table_at : table_at + table_length])
    buffers = [view[offset : offset + length] for offset, length in table]
    return pickle.loads(view[:payload_length], buffers=buffers)
