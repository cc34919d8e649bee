"""Values handed between processes as files that are mapped, not copied: a pickle whose numpy arrays travel
out of band (pickle protocol 5), each array's bytes at an aligned offset after it.

Loading maps the file read-only and unpickles over the mapping, so the arrays are the file's pages: nothing
is copied, and a page is resident in a process only where it is read. Through a pipe, a result of 100 MB was
pickled, written, read in pieces, joined and unpickled: five copies, each into freshly faulted memory. A value
dumped again refers to the bytes it holds from files loaded here (``load_file``) by file and offset rather than
writing them again: the store assembled from the workers' pieces is mostly those pieces. The files go to
shared memory (``/dev/shm``) where it has room, else to the temporary directory.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import tempfile
import weakref
from contextlib import suppress
from pathlib import Path

import numpy as np

ALIGNMENT = 64
TRAILER = struct.Struct("<QQ")  # where the buffer table starts, and its length
SHARED_MEMORY = Path("/dev/shm")
SHARED_MEMORY_ROOM = 4 << 30  # free bytes it needs: a container's default /dev/shm (64 MiB) is far too small

# The files ``load_file`` mapped in this process and still in use: (first address, end address, file name, the
# mapping, weakly: once nothing uses it, it is unmapped, its file removed, and its addresses no longer its own).
_loaded: list[tuple[int, int, str, weakref.ref[mmap.mmap]]] = []
_removals: dict[str, weakref.finalize] = {}  # per file name: its removal once unused, until a dump names it


def scratch_directory() -> str | None:
    """Where the files go: shared memory if it is there, writable and roomy; else None (the temporary
    directory)."""
    try:
        room = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    if room.f_bavail * room.f_frsize < SHARED_MEMORY_ROOM or not os.access(SHARED_MEMORY, os.W_OK):
        return None
    return str(SHARED_MEMORY)


def dump(value: object, descriptor: int) -> None:
    """``value`` pickled to the file, its out-of-band buffers aligned after the pickle, then their table; a
    buffer inside a file that ``load_file`` mapped here is only named (by file and offset), not written."""
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    with os.fdopen(os.dup(descriptor), "wb") as stream:
        stream.write(payload)
        table: list[tuple[str | None, int, int]] = []
        offset = len(payload)
        for buffer in buffers:
            raw = buffer.raw()
            found = _in_loaded_file(raw)
            if found is not None:
                table.append((*found, raw.nbytes))
                removal = _removals.pop(found[0], None)
                if removal is not None:
                    removal.detach()  # named: the file must outlive its use here, for whoever loads this dump
                continue
            padding = -offset % ALIGNMENT
            stream.write(b"\0" * padding)
            offset += padding
            stream.write(raw)
            table.append((None, offset, raw.nbytes))
            offset += raw.nbytes
        encoded = pickle.dumps((len(payload), table), protocol=5)
        stream.write(encoded)
        stream.write(TRAILER.pack(offset, len(encoded)))


def load(descriptor: int, directory: str | None = None) -> object:
    """The value of ``dump``, its buffers read-only views of the mapped file (or of the files it names, in
    ``directory``)."""
    return _unpickled(mmap.mmap(descriptor, 0, prot=mmap.PROT_READ), directory)


def _unpickled(mapping: mmap.mmap, directory: str | None) -> object:
    view = memoryview(mapping)
    table_at, table_length = TRAILER.unpack(view[len(view) - TRAILER.size :])
    payload_length, table = pickle.loads(view[table_at : table_at + table_length])
    files: dict[str, memoryview] = {}
    buffers = []
    for name, offset, length in table:
        if name is None:
            source = view
        elif name in files:
            source = files[name]
        else:
            if directory is None:
                raise ValueError(f"the dump names the file {name!r}: load it with its directory")
            source = files[name] = memoryview(_mapped(os.path.join(directory, name)))
        buffers.append(source[offset : offset + length])
    return pickle.loads(view[:payload_length], buffers=buffers)


def dump_file(value: object, directory: str) -> str:
    """``value`` dumped to a new file in ``directory``; its path."""
    descriptor, path = tempfile.mkstemp(prefix="part-", dir=directory)
    try:
        dump(value, descriptor)
    finally:
        os.close(descriptor)
    return path


def load_file(path: str) -> object:
    """The value dumped to ``path``. The file stays while the value (any part of it) is in use here, so that a
    later ``dump`` here may name its bytes; then it is removed, and its memory freed (it may be gigabytes of
    pieces already merged). Whoever owns its directory removes what is left."""
    mapping = _mapped(path)
    _track(mapping, path)
    return _unpickled(mapping, None)


def scratch_bytes(size: int, directory: str | None) -> bytearray | mmap.mmap:
    """``size`` zero bytes to fill: a new file in ``directory`` mapped writable (which a later ``dump`` here
    names, as it does the files ``load_file`` mapped, rather than writing them again), or a bytearray when
    there is no directory."""
    if directory is None or size == 0:
        return bytearray(size)
    descriptor, path = tempfile.mkstemp(prefix="part-", dir=directory)
    try:
        os.ftruncate(descriptor, size)
        mapping = mmap.mmap(descriptor, size)
    finally:
        os.close(descriptor)
    _track(mapping, path)
    return mapping


def _track(mapping: mmap.mmap, path: str) -> None:
    """Let ``dump`` name ``mapping``'s bytes as ``path``'s, and remove ``path`` once the mapping is unused."""
    start = _address(memoryview(mapping))
    _loaded[:] = [entry for entry in _loaded if entry[3]() is not None]
    _loaded.append((start, start + len(mapping), os.path.basename(path), weakref.ref(mapping)))
    removal = _removals[os.path.basename(path)] = weakref.finalize(mapping, _remove, path)
    removal.atexit = False


def _remove(path: str) -> None:
    _removals.pop(os.path.basename(path), None)
    with suppress(OSError):
        os.unlink(path)


def _mapped(path: str) -> mmap.mmap:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return mmap.mmap(descriptor, 0, prot=mmap.PROT_READ)
    finally:
        os.close(descriptor)


def _in_loaded_file(raw: memoryview) -> tuple[str, int] | None:
    """The file loaded here that holds ``raw``'s bytes, and their offset in it; None if none does."""
    if not raw.nbytes or not _loaded:
        return None
    start = _address(raw)
    for first, end, name, mapping in _loaded:
        if first <= start and start + raw.nbytes <= end and mapping() is not None:
            return name, start - first
    return None


def _address(buffer: memoryview) -> int:
    """Where a (non-empty, contiguous) buffer's bytes start in this process's memory."""
    address: int = np.frombuffer(buffer, dtype=np.uint8).__array_interface__["data"][0]
    return address
