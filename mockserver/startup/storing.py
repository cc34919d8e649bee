"""The store assembled from chunks: each chunk's summary and serialized records, put in position order.

A chunk of a collection's records contributes its ``summarize``d paths and its records serialized by orjson (bytes as an
array: handed between processes out of band, mapped rather than copied). ``StoreParts.store`` merges the index
(``mockserver.startup.indexing``), builds the single-key orders and lays the bodies out in position order in one
buffer, in a file the store's own file will name (``mockserver.startup.mapped``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import orjson

from customers_spec.datafile import Dataset
from customers_spec.errors import DataError
from customers_spec.model import Spec
from mockserver.engine.columns import Ranked
from mockserver.engine.ordering import Orderings
from mockserver.engine.store import Bodies, CollectionStore
from mockserver.startup.chunks import IndexParts, summarize
from mockserver.startup.indexing import assemble_index
from mockserver.startup.mapped import scratch_bytes
from mockserver.startup.memory import collector_paused
from mockserver.startup.parallel import HERE, Workers, spill_directory


@dataclass(frozen=True)
class Serialized:
    """Some customers' JSON, one after the other (bytes as an array: handed between processes out of band,
    mapped rather than copied), and each one's length in bytes."""

    bodies: np.ndarray
    lengths: np.ndarray


def serialized(records: Sequence[dict], first: int = 0) -> Serialized:
    """The records serialized by orjson (``first``: the index of the first, for the error message)."""
    parts = []
    for number, record in enumerate(records, first):
        try:
            parts.append(orjson.dumps(record))
        except orjson.JSONEncodeError as exc:
            raise DataError(f"customer {record.get('_id', number)!r} cannot be serialized: {exc}") from exc
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    return Serialized(np.frombuffer(b"".join(parts), dtype=np.uint8), lengths)


@dataclass(frozen=True)
class RecordChunk:
    """What a chunk of customers contributes to a store: its ``summarize``d paths and its serialized bodies."""

    summary: dict[str, Ranked]
    bodies: Serialized


def record_chunk(records: Sequence[dict], paths: Sequence[str], first: int = 0) -> RecordChunk:
    """The contribution of these customers (``first``: the index of the first among all)."""
    return RecordChunk(summarize(records, paths), serialized(records, first))


class StoreParts:
    """A store gathered chunk by chunk (``IndexParts`` and the serialized customers), built by ``store``."""

    def __init__(self, spec: Spec) -> None:
        self.index = IndexParts(spec)
        self._bodies: list[Serialized] = []

    def add_records(self, chunk: RecordChunk) -> None:
        self.index.add_records(chunk.summary)
        self._bodies.append(chunk.bodies)

    def add_dataset(self, dataset: Dataset) -> None:
        """Every record of an in-memory dataset, as one chunk per collection."""
        self.index.add_dataset(dataset)
        self._bodies.append(serialized(dataset.records(self.index.spec.collection.name)))

    def store(
        self, *, cache_size: int = 32, workers: Workers = HERE, kind: type[CollectionStore] | None = None
    ) -> CollectionStore:
        """The store (a ``kind``, by default a ``CollectionStore``) of every chunk added (the parts are emptied);
        its pieces are built by ``workers``."""
        spec = self.index.spec
        with collector_paused():
            index, order = assemble_index(self.index, workers)
            orderings = Orderings(index.columns, index.size, spec.sort.tie_breaker, index.unique_tie_breaker)
            orderings.prebuild(spec.sort.fields)
            bodies = bodies_of_chunks(self._bodies, order)
            self._bodies.clear()
        return (kind or CollectionStore)(index, orderings, bodies, cache_size)


def store_of_dataset(
    spec: Spec, dataset: Dataset, *, cache_size: int = 32, kind: type[CollectionStore] = CollectionStore
) -> CollectionStore:
    """The store (a ``kind``) of an in-memory dataset, built in this process, indexed for the spec's filters and
    sorts; ``cache_size`` recent results are kept (0: none). The store keeps no reference to the dataset's
    records: the caller's ``dataset`` may be dropped after."""
    parts = StoreParts(spec)
    parts.add_dataset(dataset)
    return parts.store(cache_size=cache_size, kind=kind)


def bodies_of_chunks(chunks: Sequence[Serialized], order: np.ndarray) -> Bodies:
    """The bodies of serialized chunks (in the order they were read), rearranged so that position ``i`` holds
    the body that was at ``order[i]``."""
    if not chunks:
        return Bodies(b"", np.zeros(1, dtype=np.int64))
    lengths = np.concatenate([chunk.lengths for chunk in chunks])
    chunk_of = np.repeat(np.arange(len(chunks)), [len(chunk.lengths) for chunk in chunks])
    local_starts = np.concatenate([np.cumsum(chunk.lengths) - chunk.lengths for chunk in chunks])
    sources = [chunk.bodies.data for chunk in chunks]  # copied from where they are: never joined first
    lengths = lengths[order]
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    buffer = scratch_bytes(int(offsets[-1]), spill_directory())  # in a file the store's file will name
    target = memoryview(buffer)
    chunk_of, local_starts = chunk_of[order].tolist(), local_starts[order].tolist()
    places = zip(chunk_of, local_starts, lengths.tolist(), offsets[:-1].tolist(), strict=True)
    for chunk, start, length, at in places:
        target[at : at + length] = sources[chunk][start : start + length]
    del target, sources
    return Bodies(buffer, offsets)  # type: ignore[arg-type]  # a bytearray is a buffer too
