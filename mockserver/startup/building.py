"""Building the stores at start-up (one per collection the spec's lists serve) in chunks, on every core, without
ever holding the whole dataset: each chunk is read or generated once and feeds every store.

A data file in the layout ``mockserver generate`` writes (a record per line) is cut into byte ranges of whole
lines, and ``--count`` into chunks of ``mockserver.data.generate.CHUNK`` customers. Forked worker processes each
read (or generate) a chunk, check it against the schemas, and hand back only its summary: each path's distinct
values (packed) and ranks, its customers serialized, the hashes of the keys that must be unique and the
customer ids that it holds or that its sites name. The store is assembled from the summaries in chunk order
(``mockserver.startup.storing.StoreParts``), so the result does not depend on the number of processes, and no
process ever holds more than a chunk of records: at 1,000,000 customers the records alone would take several
GiB.

A file that is not in that layout, or in which a chunk fails any check, is read as a whole by
``customers_spec.datafile.load_dataset``, which reports the first problem exactly as it always has.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from customers_spec import Spec
from customers_spec.datafile import (
    COLLECTION_KEYS,
    CUSTOMER,
    OBJECT,
    Dataset,
    default_dataset,
    load_dataset,
    record_keys,
    records_valid,
    site_owners,
)
from customers_spec.errors import DataError
from mockserver.config import DEFAULT_SEED, Config
from mockserver.data.chunked import dump_ranges, hashes_distinct, key_hashes, owners_known, parse_records
from mockserver.engine.columns import Ranked
from mockserver.engine.packed import packed
from mockserver.engine.store import CollectionStore
from mockserver.startup.chunks import summarize
from mockserver.startup.parallel import Workers, shared, sharing
from mockserver.startup.storing import RecordChunk, StoreParts, record_chunk, store_of_dataset

_Task = tuple[str, int, int, bool]  # a range to read: its records' schema, start, end, and whether it is the last
Specs = dict[str, Spec]  # per store, the spec it is indexed for (``mockserver.startup.grouping``)


def build_store(spec: Spec, config: Config) -> CollectionStore:
    """The store of the configured data for one list operation's spec: generated, read from a file, or shipped."""
    return build_stores({"": spec}, config)[""]


def build_stores(specs: Specs, config: Config) -> dict[str, CollectionStore]:
    """Every store of the configured data (generated, read from a file, or the shipped default), in one pass
    over the data: each chunk read or generated once feeds every store."""
    if config.count is not None:
        return generated_stores(specs, config.count, DEFAULT_SEED if config.seed is None else config.seed)
    first = next(iter(specs.values()))
    if config.data is None:
        return stores_of_dataset(specs, default_dataset(first))
    stores = file_stores(specs, Path(config.data))
    return stores if stores is not None else stores_of_dataset(specs, load_dataset(config.data, first))


def stores_of_dataset(specs: Specs, dataset: Dataset) -> dict[str, CollectionStore]:
    return {key: store_of_dataset(spec, dataset) for key, spec in specs.items()}


def generated_store(spec: Spec, count: int, seed: int) -> CollectionStore:
    """The store of ``generate_dataset(count, seed)`` for one spec."""
    return generated_stores({"": spec}, count, seed)[""]


def generated_stores(specs: Specs, count: int, seed: int) -> dict[str, CollectionStore]:
    """The stores of ``generate_dataset(count, seed)``, its chunks generated and summarized in parallel."""
    from mockserver.data.generate import CHUNK, GenerationPlan  # Faker is imported only when generating

    parts = {key: StoreParts(spec) for key, spec in specs.items()}
    plan = GenerationPlan(count, seed)
    job = _Generating(plan, CHUNK, {key: _Wanted.of(each) for key, each in parts.items()})
    with sharing(job), Workers() as workers:
        for pieces in workers.map(_generated_chunk, range(plan.chunks)):
            for key, (chunk, related) in pieces.items():
                parts[key].add_records(chunk)
                for collection, summary in related.items():
                    parts[key].index.add_related(collection, summary)
        return {key: each.store(workers=workers) for key, each in parts.items()}


def file_store(spec: Spec, path: Path) -> CollectionStore | None:
    """The store of a data file in ``write_dataset``'s layout for one spec (see ``file_stores``)."""
    stores = file_stores({"": spec}, path)
    return None if stores is None else stores[""]


def file_stores(specs: Specs, path: Path) -> dict[str, CollectionStore] | None:
    """The stores of a data file in ``write_dataset``'s layout, read in chunks in parallel; None when the file
    is in another layout or has any problem (the caller then reads it whole and reports the problem)."""
    try:
        ranges = dump_ranges(path)
    except OSError:
        return None
    parts = {key: StoreParts(spec) for key, spec in specs.items()}
    if ranges is None:
        return None
    first = next(iter(specs.values()))
    descriptor = os.open(path, os.O_RDONLY)
    reading = _Reading(first, descriptor, {key: _Wanted.of(each) for key, each in parts.items()})
    try:
        with sharing(reading), Workers() as workers:
            if not _gathered(workers.map(_read_chunk, _read_tasks(*ranges)), parts):
                return None
            return {key: each.store(workers=workers) for key, each in parts.items()}
    finally:
        os.close(descriptor)


def _read_tasks(customer_ranges: list[tuple[int, int]], object_ranges: list[tuple[int, int]]) -> list[_Task]:
    """A task per range: the schema of its records, where it lies, and whether it is the last of its list."""
    tasks = [(CUSTOMER, *span, number == len(customer_ranges) - 1) for number, span in enumerate(customer_ranges)]
    tasks += [(OBJECT, *span, number == len(object_ranges) - 1) for number, span in enumerate(object_ranges)]
    return tasks


def _gathered(reads: Iterable[_Read | None], parts: dict[str, StoreParts]) -> bool:
    """Add every chunk read to the stores' ``parts``; False when one could not be read, when a key that must be
    unique repeats across chunks, or when a site names no customer of the file."""
    hashes: dict[tuple[str, str], list[np.ndarray]] = {}
    customer_ids: list[Sequence[str]] = []
    owners: list[Sequence[str]] = []
    for read in reads:
        if read is None:
            return False
        for key, chunk in read.chunks.items():
            parts[key].add_records(chunk)
        for key, summary in read.related.items():
            parts[key].index.add_related(COLLECTION_KEYS[read.schema], summary)
        (customer_ids if read.schema == CUSTOMER else owners).append(read.strings)
        for name, values in read.hashes.items():
            hashes.setdefault((read.schema, name), []).append(values)
    if not all(hashes_distinct(chunks) for chunks in hashes.values()):
        return False
    return owners_known(chain.from_iterable(customer_ids), chain.from_iterable(owners))


@dataclass(frozen=True)
class _Wanted:
    """What one store reads of every chunk: its collection's paths, and each related collection's."""

    collection: str
    record_paths: list[str]
    related_paths: dict[str, list[str]]

    @classmethod
    def of(cls, parts: StoreParts) -> _Wanted:
        index = parts.index
        return cls(index.spec.collection.name, index.record_paths, index.related_paths)


@dataclass(frozen=True)
class _Generating:
    plan: Any  # mockserver.data.generate.GenerationPlan
    chunk_size: int
    wanted: dict[str, _Wanted]


def _generated_chunk(number: int) -> dict[str, tuple[RecordChunk, dict[str, dict[str, Ranked]]]]:
    job: _Generating = shared()
    dataset = job.plan.chunk(number)
    pieces = {}
    for key, wanted in job.wanted.items():
        chunk = record_chunk(dataset.records(wanted.collection), wanted.record_paths, number * job.chunk_size)
        related = {
            collection: summarize(dataset.records(collection), paths)
            for collection, paths in wanted.related_paths.items()
        }
        pieces[key] = chunk, related
    return pieces


@dataclass(frozen=True)
class _Reading:
    spec: Spec
    descriptor: int
    wanted: dict[str, _Wanted]


@dataclass(frozen=True)
class _Read:
    """One chunk of a data file: what it contributes to each store (as its records, or as a related collection),
    and what is checked at the end: the hashes of the keys that must be unique, and the distinct customer ids (of
    customers, or named by sites)."""

    schema: str
    chunks: dict[str, RecordChunk]
    related: dict[str, dict[str, Ranked]]
    hashes: dict[str, np.ndarray]
    strings: Sequence[str]


def _read_chunk(task: _Task) -> _Read | None:
    schema, start, end, last = task
    job: _Reading = shared()
    records = parse_records(os.pread(job.descriptor, end - start, start), last)
    if records is None or not records_valid(records, schema, job.spec):
        return None
    keys = record_keys(records, schema)
    hashes = key_hashes(keys)
    if hashes is None:
        return None
    collection = COLLECTION_KEYS[schema]
    chunks, related = {}, {}
    for key, wanted in job.wanted.items():
        if wanted.collection == collection:
            try:
                chunks[key] = record_chunk(records, wanted.record_paths)
            except DataError:  # reported by the whole-file path, which numbers the record as it always has
                return None
        if collection in wanted.related_paths:
            related[key] = summarize(records, wanted.related_paths[collection])
    strings = keys["_id"] if schema == CUSTOMER else site_owners(records)
    return _Read(schema, chunks, related, hashes, _distinct_strings(strings))


def _distinct_strings(values: list[Any]) -> Sequence[str]:
    """The distinct strings among ``values``, packed (compact to hand over and keep)."""
    return packed(sorted({value for value in values if isinstance(value, str)}))
