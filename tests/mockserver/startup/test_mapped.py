"""Values handed over as mapped files: read-only views of the file, and a value dumped again names the bytes
it holds from loaded files instead of writing them again."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from mockserver.startup import mapped


def test_a_dumped_value_loads_as_read_only_views_of_the_file(tmp_path: Path) -> None:
    value = {"ranks": np.arange(1000, dtype=np.int32), "body": bytearray(b"[1,2]"), "name": "x"}
    path = mapped.dump_file(value, str(tmp_path))
    loaded = mapped.load_file(path)
    assert isinstance(loaded, dict) and loaded["name"] == "x" and bytes(loaded["body"]) == b"[1,2]"
    assert np.array_equal(loaded["ranks"], np.arange(1000)) and not loaded["ranks"].flags.writeable
    assert os.path.exists(path)  # kept while in use: a later dump may name its bytes
    del loaded
    assert not os.path.exists(path)  # then removed, its memory freed


def test_a_value_dumped_again_names_the_loaded_files_bytes_instead_of_copying_them(tmp_path: Path) -> None:
    big = np.arange(1_000_000, dtype=np.int64)
    piece = mapped.load_file(mapped.dump_file({"big": big}, str(tmp_path)))
    assert isinstance(piece, dict)
    fresh = np.arange(10, dtype=np.int64)
    whole = tmp_path / "whole"
    descriptor = os.open(whole, os.O_RDWR | os.O_CREAT)
    try:
        mapped.dump({"big": piece["big"], "part": piece["big"][10:20], "fresh": fresh}, descriptor)
        assert whole.stat().st_size < big.nbytes / 10  # the loaded bytes are named, only ``fresh`` is written
        again = mapped.load(descriptor, str(tmp_path))
        with pytest.raises(ValueError, match="directory"):
            mapped.load(descriptor)
    finally:
        os.close(descriptor)
    assert isinstance(again, dict)
    assert np.array_equal(again["big"], big) and np.array_equal(again["part"], big[10:20])
    assert np.array_equal(again["fresh"], fresh)
    del piece, again
    assert len(list(tmp_path.iterdir())) == 2  # the piece a dump names outlives its use here, for the loader


def test_shared_memory_is_used_only_where_it_has_room(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (mapped.SHARED_MEMORY.is_dir() and os.access(mapped.SHARED_MEMORY, os.W_OK)):
        pytest.skip("this platform has no writable /dev/shm: the temporary directory is all there is")
    monkeypatch.setattr(mapped, "SHARED_MEMORY_ROOM", 0)
    assert mapped.scratch_directory() == str(mapped.SHARED_MEMORY)
    monkeypatch.setattr(mapped, "SHARED_MEMORY_ROOM", 1 << 60)  # a container's 64 MiB /dev/shm, say
    assert mapped.scratch_directory() is None


def test_scratch_bytes_are_a_file_that_a_dump_names(tmp_path: Path) -> None:
    buffer = mapped.scratch_bytes(1 << 20, str(tmp_path))
    buffer[:5] = b"[1,2]"
    bodies = np.frombuffer(buffer, dtype=np.uint8)
    whole = tmp_path / "whole"
    descriptor = os.open(whole, os.O_RDWR | os.O_CREAT)
    try:
        mapped.dump({"bodies": bodies}, descriptor)
        assert whole.stat().st_size < 1 << 16  # named, not written again
        again = mapped.load(descriptor, str(tmp_path))
    finally:
        os.close(descriptor)
    assert isinstance(again, dict) and bytes(again["bodies"][:5]) == b"[1,2]" and len(again["bodies"]) == 1 << 20
    assert isinstance(mapped.scratch_bytes(10, None), bytearray)  # no directory: plain memory
