"""The mock's query engine: the spec's filter, sort and paging semantics answered from indexes built once.

``CustomerStore.build`` indexes the customers (``mockserver.index``), builds the single-key orders
(``mockserver.ordering``) and serializes every customer once into one buffer, after which the customers' dicts
are dropped: the master then holds arrays and one bytes buffer, which the forked workers share. ``query``
turns the conditions into one boolean mask (``mockserver.matchers``), puts the page's matches in order (the
first time a query is asked, only as much of the order as the page needs: most queries are asked once) and
joins the page's slices of the buffer. A query asked again is ordered whole and its matches are cached, so
paging through one result or repeating a query costs a slice.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import orjson

from customers_spec.datafile import Dataset
from customers_spec.errors import DataError
from customers_spec.model import SortKey, Spec
from customers_spec.terms import Condition
from mockserver.cache import LruCache
from mockserver.criteria import Criteria, Page
from mockserver.index import CustomerIndex, IndexParts, Positions, Ranked, summarize
from mockserver.mapped import scratch_bytes
from mockserver.matchers import conditions_mask
from mockserver.ordering import Keys, Orderings
from mockserver.parallel import HERE, Workers, spill_directory

ASKED_PER_RESULT = 4  # queries remembered as asked (a few hundred bytes each) per whole result kept


class CustomerStore:
    """The customers of one dataset, queryable by ``Criteria``; thread-safe for concurrent queries."""

    def __init__(self, index: CustomerIndex, orderings: Orderings, bodies: Bodies, cache_size: int) -> None:
        self.index = index
        self.orderings = orderings
        self._bodies = bodies
        self._results: LruCache[Positions] = LruCache(cache_size)
        self._asked: LruCache[bool] = LruCache(cache_size * ASKED_PER_RESULT)  # the queries asked once lately

    @classmethod
    def build(cls, spec: Spec, dataset: Dataset, *, cache_size: int = 32) -> CustomerStore:
        """Index ``dataset`` for the spec's filters and sorts; ``cache_size`` recent results are kept (0: none).

        The store keeps no reference to the dataset's records; the caller's ``dataset`` may be dropped after."""
        parts = StoreParts(spec)
        parts.add_dataset(dataset)
        return parts.store(cache_size=cache_size, kind=cls)

    def __len__(self) -> int:
        return self.index.size

    def query(self, criteria: Criteria) -> Page:
        """One page of the customers satisfying every condition, in the criteria's order."""
        if criteria.limit < 0 or criteria.offset < 0:
            raise ValueError(f"limit and offset must not be negative: {criteria.limit}, {criteria.offset}")
        start, stop = criteria.offset, criteria.offset + criteria.limit
        keys = self.orderings.canonical(criteria.sort)
        asked = (criteria.conditions, keys)
        found = self._results.get(asked)
        if found is None and self._asked.get(asked):  # asked again (paging, a repeat): order it all, and keep it
            found = self.matches(criteria.conditions, criteria.sort)
        if found is not None:
            page, total = found[start:stop], len(found)
        else:  # the first time: only the page is put in order
            page, total = self._window(criteria.conditions, keys, start, stop)
            self._asked.put(asked, True)
        return Page(total=total, count=len(page), body=self._bodies.array(page))

    def matches(self, conditions: tuple[Condition, ...], sort: Sequence[SortKey]) -> Positions:
        """Positions of every customer satisfying ``conditions``, in the order of ``sort`` (cached)."""
        keys = self.orderings.canonical(sort)
        return self._results.get_or_make((conditions, keys), lambda: self._ordered_matches(conditions, keys))

    def _ordered_matches(self, conditions: tuple[Condition, ...], keys: Keys) -> Positions:
        return self.orderings.arrange(conditions_mask(self.index, conditions), keys)

    def _window(self, conditions: tuple[Condition, ...], keys: Keys, start: int, stop: int) -> tuple[Positions, int]:
        """``_ordered_matches(conditions, keys)[start:stop]`` and the number of matches, ordering only the window."""
        return self.orderings.window(conditions_mask(self.index, conditions), keys, start, stop)


class Bodies:
    """Every customer's JSON, serialized once into one buffer; a page is a join of slices of it."""

    def __init__(self, buffer: bytes, offsets: np.ndarray) -> None:
        self._buffer = np.frombuffer(buffer, dtype=np.uint8)  # an array: pickled out of band (``apart``)
        self._offsets = offsets

    @classmethod
    def of_chunks(cls, chunks: Sequence[Serialized], order: np.ndarray) -> Bodies:
        """The bodies of serialized chunks (in the order they were read), rearranged so that position ``i`` holds
        the body that was at ``order[i]``."""
        if not chunks:
            return cls(b"", np.zeros(1, dtype=np.int64))
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
        return cls(buffer, offsets)  # type: ignore[arg-type]  # a bytearray is a buffer too

    def array(self, positions: Positions) -> bytes:
        """The customers at ``positions`` as one JSON array."""
        view = memoryview(self._buffer)  # type: ignore[arg-type]  # numpy arrays are buffers
        starts = self._offsets[positions].tolist()
        ends = self._offsets[positions + 1].tolist()
        return b"[" + b",".join([view[start:end] for start, end in zip(starts, ends, strict=True)]) + b"]"


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
class CustomerChunk:
    """What a chunk of customers contributes to a store: its ``summarize``d paths and its serialized bodies."""

    summary: dict[str, Ranked]
    bodies: Serialized


def customer_chunk(records: Sequence[dict], paths: Sequence[str], first: int = 0) -> CustomerChunk:
    """The contribution of these customers (``first``: the index of the first among all)."""
    return CustomerChunk(summarize(records, paths), serialized(records, first))


class StoreParts:
    """A store gathered chunk by chunk (``IndexParts`` and the serialized customers), built by ``store``."""

    def __init__(self, spec: Spec) -> None:
        self.index = IndexParts(spec)
        self._bodies: list[Serialized] = []

    def add_customers(self, chunk: CustomerChunk) -> None:
        self.index.add_customers(chunk.summary)
        self._bodies.append(chunk.bodies)

    def add_dataset(self, dataset: Dataset) -> None:
        """Every record of an in-memory dataset, as one chunk per collection."""
        self.index.add_dataset(dataset)
        self._bodies.append(serialized(dataset.customers))

    def store(
        self, *, cache_size: int = 32, workers: Workers = HERE, kind: type[CustomerStore] | None = None
    ) -> CustomerStore:
        """The store (a ``kind``, by default a ``CustomerStore``) of every chunk added (the parts are emptied);
        its pieces are built by ``workers``."""
        spec = self.index.spec
        with _collector_paused():
            index, order = CustomerIndex.of_parts(self.index, workers)
            orderings = Orderings(index.columns, index.size, spec.sort.tie_breaker, index.unique_tie_breaker)
            orderings.prebuild(spec.sort.fields)
            bodies = Bodies.of_chunks(self._bodies, order)
            self._bodies.clear()
        return (kind or CustomerStore)(index, orderings, bodies, cache_size)


def release_freed_memory() -> None:
    """Hand the heap pages freed by the build back to the system (glibc keeps them otherwise), so that the
    workers do not fork with them: forked pages count in every worker's resident memory."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the build makes millions of objects and no cycles, and each full
    collection would walk the whole dataset again (up to a third of the build time at 100,000 customers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
