"""The data file's chunked layout: written a record per line, so that start-up reads it in ranges, in parallel.

``write_dataset`` writes ``{"customers": [...], "objects": [...]}`` with one record per line; ``dump_ranges``
cuts such a file into byte ranges of whole lines (about ``READ_RANGE_BYTES`` each) and ``parse_records`` reads
one range. Each range is checked as ``customers_spec.datafile`` checks a whole file; what must hold across
ranges (unique keys, known site owners) is checked at the end from compact summaries (``key_hashes``,
``owners_known``). Any doubt sends the caller back to reading the file whole, which reports the problem.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson

from customers_spec.datafile import Dataset

DUMP_HEAD, DUMP_MIDDLE, DUMP_TAIL = b'{"customers": [\n', b'\n],\n"objects": [\n', b"\n]}"
READ_RANGE_BYTES = 1 << 23  # bytes per range a start-up worker reads (whole lines: a little more)
JSON_WHITESPACE = b" \t\r\n"


def dump_dataset(dataset: Dataset, path: Path) -> None:
    """Write ``{"customers": [...], "objects": [...]}`` compactly, one record per line, UTF-8 unescaped."""
    with path.open("wb") as stream:
        write_dataset(dataset, stream)


def write_dataset(dataset: Dataset, stream: IO[bytes]) -> None:
    """The file form of a dataset, diff-friendly (a record per line) yet compact, streamed record by record."""
    stream.write(DUMP_HEAD)
    _write_records(dataset.customers, stream)
    stream.write(DUMP_MIDDLE)
    _write_records(dataset.objects, stream)
    stream.write(DUMP_TAIL + b"\n")


def _write_records(records: list[dict[str, Any]], stream: IO[bytes]) -> None:
    separator = b""
    for record in records:
        stream.write(separator)
        stream.write(orjson.dumps(record))
        separator = b",\n"


def dump_ranges(path: Path) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """Where the file's chunks of customers and of objects lie (byte ranges of whole lines, about
    ``READ_RANGE_BYTES`` each), when it has the layout ``write_dataset`` gives (a record per line); None otherwise.
    Each range is read by ``parse_records``; the whole file is never held at once."""
    with path.open("rb") as stream:
        if stream.read(len(DUMP_HEAD)) != DUMP_HEAD:
            return None
        size = os.fstat(stream.fileno()).st_size
        if size <= len(DUMP_HEAD):
            return None
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            middle = mapped.find(DUMP_MIDDLE, len(DUMP_HEAD) - 1)
            tail = mapped.rfind(DUMP_TAIL)
            if middle < 0 or tail < middle + len(DUMP_MIDDLE) - 1 or mapped[tail + len(DUMP_TAIL) :].strip():
                return None
            return _line_ranges(mapped, len(DUMP_HEAD), middle), _line_ranges(mapped, middle + len(DUMP_MIDDLE), tail)


def _line_ranges(mapped: mmap.mmap, start: int, end: int) -> list[tuple[int, int]]:
    ranges = []
    while start < end:
        cut = mapped.find(b"\n", min(start + READ_RANGE_BYTES, end), end)
        cut = end if cut < 0 else cut
        ranges.append((start, cut))
        start = cut + 1
    return ranges


def parse_records(text: bytes, last: bool) -> list[Any] | None:
    """The records of one range of ``dump_ranges`` (``last``: the final one of its list, without a trailing
    comma); None when it is not a run of whole JSON values: the caller then reads the file as a whole. The
    ranges' values joined by commas are then exactly the list's values."""
    text = text.strip(JSON_WHITESPACE)
    if text.endswith(b",") == last:
        return None
    try:
        records = orjson.loads(b"[" + (text if last else text[:-1]) + b"]")
    except orjson.JSONDecodeError:
        return None
    return records  # type: ignore[no-any-return]


def key_hashes(keys: dict[str, list[Any]]) -> dict[str, np.ndarray] | None:
    """Per key of ``customers_spec.datafile.record_keys``, the values' hashes (None when one cannot be hashed):
    equal values hash alike, so distinct hashes prove the values distinct, in eight bytes a value (a collision only
    sends the caller to ``unique_key_problems``)."""
    try:
        return {key: np.fromiter(map(hash, values), dtype=np.int64, count=len(values)) for key, values in keys.items()}
    except TypeError:
        return None


def hashes_distinct(hashes: list[np.ndarray]) -> bool:
    """Whether ``key_hashes`` of all chunks of one key show no repeat."""
    joined = np.sort(np.concatenate(hashes)) if hashes else np.zeros(0, dtype=np.int64)
    return not (joined[1:] == joined[:-1]).any()


def owners_known(customer_ids: Iterable[Any], owners: Iterable[Any]) -> bool:
    """Whether every site's ``customerId`` names a customer of the file (``data_problems`` says which does not)."""
    known = set(customer_ids)
    return all(owner in known for owner in owners if isinstance(owner, str))
