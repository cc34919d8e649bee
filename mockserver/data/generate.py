"""Deterministic datasets of any size, made chunk by chunk, fast enough for 100,000 customers.

Values are drawn (``mockserver.data.customers``) by ``random.Random`` sources derived from the seed: one for what
all customers share, one per chunk of ``CHUNK`` customers (so chunks can be made in parallel), so a seed always
yields the same dataset in one environment, whatever the number of processes.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Callable
from typing import Any

from customers_spec.datafile import Dataset
from mockserver.data.customers import CustomerGenerator

PROGRESS_STEP = 1000
CHUNK = 5000  # customers per chunk: a fixed number, so the data does not depend on how many processes make it
IDS_PER_CHUNK = 6 * CHUNK  # ids a chunk may draw: a chat id and up to five sites per customer

Progress = Callable[[int], None]


def generate_dataset(count: int, seed: int, *, progress: Progress | None = None) -> Dataset:
    """``count`` customers with 0-5 sites each; ``progress`` gets the number of customers made since last call."""
    plan = GenerationPlan(count, seed)
    customers: list[dict[str, Any]] = []
    objects: list[dict[str, Any]] = []
    collecting = gc.isenabled()
    gc.disable()  # only new, acyclic records are allocated: collecting them is wasted time (about a fifth)
    try:
        for chunk in range(plan.chunks):
            part = plan.chunk(chunk, progress)
            customers += part.customers
            objects += part.objects
    finally:
        if collecting:
            gc.enable()
    return Dataset(customers=customers, objects=objects)


class GenerationPlan:
    """What every chunk of a dataset shares, drawn once from the seed: the pools, users, companies, and each
    customer's creation time and id (invoices name other customers). Each chunk of ``CHUNK`` customers then
    draws from a random source of its own, seeded by the seed and the chunk's number, so chunks can be made in
    any order or process and the dataset is still the seed's."""

    def __init__(self, count: int, seed: int) -> None:
        if count < 0:
            raise ValueError(f"count must be at least 0, got {count}")
        self.count, self.seed = count, seed
        self.generator = CustomerGenerator(seed)
        self.created = self.generator.creation_times(count)
        self.customer_ids = [self.generator.ids.next(seconds) for seconds in self.created]
        self.ids_drawn = self.generator.ids.drawn  # the chunks' ids follow these
        self.chunks = -(-count // CHUNK)

    def chunk(self, number: int, progress: Progress | None = None) -> Dataset:
        """The customers of chunk ``number`` (the ``CHUNK`` from ``number * CHUNK`` on) and their sites."""
        generator = copy.copy(self.generator)
        generator.reseed(f"{self.seed}/{number}", self.ids_drawn + number * IDS_PER_CHUNK)
        customers: list[dict[str, Any]] = []
        objects: list[dict[str, Any]] = []
        first = number * CHUNK
        for index in range(first, min(first + CHUNK, self.count)):
            customers.append(generator.customer(index, self.customer_ids, self.created[index]))
            objects.extend(generator.sites(self.customer_ids[index], self.created[index]))
            if progress is not None and (index + 1) % PROGRESS_STEP == 0:
                progress(PROGRESS_STEP)
        if progress is not None and first + len(customers) == self.count and self.count % PROGRESS_STEP:
            progress(self.count % PROGRESS_STEP)
        return Dataset(customers=customers, objects=objects)
