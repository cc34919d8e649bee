"""Building the store at start-up in chunks, on every core, without ever holding the whole dataset.

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
    CUSTOMER,
    OBJECT,
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
from mockserver.engine.store import CustomerStore
from mockserver.startup.chunks import summarize
from mockserver.startup.parallel import Workers, shared, sharing
from mockserver.startup.storing import CustomerChunk, StoreParts, customer_chunk, store_of_dataset

SITES = "objects"  # the collection a data file's sites are (``Dataset.objects``)
_Task = tuple[str, int, int, bool]  # a range to read: its records' schema, start, end, and whether it is the last


def build_store(spec: Spec, config: Config) -> CustomerStore:
    """The store of the configured data: generated, read from a file, or the shipped default."""
    if config.count is not None:
        return generated_store(spec, config.count, DEFAULT_SEED if config.seed is None else config.seed)
    if config.data is None:
        return store_of_dataset(spec, default_dataset(spec))
    store = file_store(spec, Path(config.data))
    return store if store is not None else store_of_dataset(spec, load_dataset(config.data, spec))


def generated_store(spec: Spec, count: int, seed: int) -> CustomerStore:
    """The store of ``generate_dataset(count, seed)``, its chunks generated and summarized in parallel."""
    from mockserver.data.generate import CHUNK, GenerationPlan  # Faker is imported only when generating

    parts = StoreParts(spec)
    plan = GenerationPlan(count, seed)
    job = _Generating(plan, CHUNK, parts.index.customer_paths, parts.index.related_paths)
    with sharing(job), Workers() as workers:
        for chunk, related in workers.map(_generated_chunk, range(plan.chunks)):
            parts.add_customers(chunk)
            for collection, summary in related.items():
                parts.index.add_related(collection, summary)
        return parts.store(workers=workers)


def file_store(spec: Spec, path: Path) -> CustomerStore | None:
    """The store of a data file in ``write_dataset``'s layout, read in chunks in parallel; None when the file
    is in another layout or has any problem (the caller then reads it whole and reports the problem)."""
    try:
        ranges = dump_ranges(path)
    except OSError:
        return None
    parts = StoreParts(spec)
    if ranges is None or set(parts.index.related_paths) - {SITES}:
        return None  # not the layout, or relations to a collection a data file does not have
    descriptor = os.open(path, os.O_RDONLY)
    reading = _Reading(spec, descriptor, parts.index.customer_paths, parts.index.related_paths.get(SITES, []))
    try:
        with sharing(reading), Workers() as workers:
            if not _gathered(workers.map(_read_chunk, _read_tasks(*ranges)), parts):
                return None
            return parts.store(workers=workers)
    finally:
        os.close(descriptor)


def _read_tasks(customer_ranges: list[tuple[int, int]], object_ranges: list[tuple[int, int]]) -> list[_Task]:
    """A task per range: the schema of its records, where it lies, and whether it is the last of its list."""
    tasks = [(CUSTOMER, *span, number == len(customer_ranges) - 1) for number, span in enumerate(customer_ranges)]
    tasks += [(OBJECT, *span, number == len(object_ranges) - 1) for number, span in enumerate(object_ranges)]
    return tasks


def _gathered(reads: Iterable[_Read | None], parts: StoreParts) -> bool:
    """Add every chunk read to ``parts``; False when one could not be read, when a key that must be unique repeats
    across chunks, or when a site names no customer of the file."""
    hashes: dict[tuple[str, str], list[np.ndarray]] = {}
    customer_ids: list[Sequence[str]] = []
    owners: list[Sequence[str]] = []
    for read in reads:
        if read is None:
            return False
        if read.customers is not None:
            parts.add_customers(read.customers)
            customer_ids.append(read.strings)
        else:
            if SITES in parts.index.related:
                parts.index.add_related(SITES, read.sites)
            owners.append(read.strings)
        for key, values in read.hashes.items():
            hashes.setdefault((read.schema, key), []).append(values)
    if not all(hashes_distinct(chunks) for chunks in hashes.values()):
        return False
    return owners_known(chain.from_iterable(customer_ids), chain.from_iterable(owners))


@dataclass(frozen=True)
class _Generating:
    plan: Any  # mockserver.data.generate.GenerationPlan
    chunk_size: int
    customer_paths: list[str]
    related_paths: dict[str, list[str]]


def _generated_chunk(number: int) -> tuple[CustomerChunk, dict[str, dict[str, Ranked]]]:
    job: _Generating = shared()
    dataset = job.plan.chunk(number)
    chunk = customer_chunk(dataset.customers, job.customer_paths, number * job.chunk_size)
    related = {
        collection: summarize(getattr(dataset, collection), paths) for collection, paths in job.related_paths.items()
    }
    return chunk, related


@dataclass(frozen=True)
class _Reading:
    spec: Spec
    descriptor: int
    customer_paths: list[str]
    site_paths: list[str]


@dataclass(frozen=True)
class _Read:
    """One chunk of a data file: its customers' or its sites' contribution, and what is checked at the end: the
    hashes of the keys that must be unique, and the distinct customer ids (of customers, or named by sites)."""

    schema: str
    customers: CustomerChunk | None
    sites: dict[str, Ranked]
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
    if schema == CUSTOMER:
        try:
            chunk = customer_chunk(records, job.customer_paths)
        except DataError:  # reported by the whole-file path, which numbers the customer as it always has
            return None
        return _Read(schema, chunk, {}, hashes, _distinct_strings(keys["_id"]))
    sites = summarize(records, job.site_paths)
    return _Read(schema, None, sites, hashes, _distinct_strings(site_owners(records)))


def _distinct_strings(values: list[Any]) -> Sequence[str]:
    """The distinct strings among ``values``, packed (compact to hand over and keep)."""
    return packed(sorted({value for value in values if isinstance(value, str)}))
