"""New customers as an office adds them, and new names, drawn from a pool the mock's generator makes.

The generator (``mockserver.data``) only makes the data; nothing of the mock's engine is used. A new customer is
a pool customer cloned with a fresh ``_id``, the next ``number``, every date it has set to the write's instant
(a logical clock: one second per write, after the generated data's last change), and no invoice recipients
(they would name customers that the writer may remove).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence

from customers_spec.model import Spec
from customers_spec.values import get_path
from mockserver.data.customers import FIRST_NUMBER, MODIFIED_END, STATUS_WEIGHTS
from mockserver.data.draw import timestamp
from mockserver.data.generate import generate_dataset
from selftest.sqlstaging.tables import KEY, Record

FIRST_MOMENT = MODIFIED_END + 86_400  # the logical clock's first second: a day after the last generated change
STATUSES = range(len(STATUS_WEIGHTS))  # the status.status values the generator draws
POOL_SIZE = 500


class Fresh:
    """Fresh customers and names for a database holding ``customers`` (seeded by ``seed``)."""

    def __init__(self, spec: Spec, customers: Sequence[Record], seed: int, pool_size: int = POOL_SIZE) -> None:
        self.pool = generate_dataset(pool_size, random.Random(f"sqlstaging-pool-{seed}").getrandbits(31)).customers
        self.dates = [path for path, field_type in spec.field_types.items() if field_type == "date"]
        self.number = max((record["number"] for record in customers), default=FIRST_NUMBER - 1) + 1
        self.taken = {record[KEY] for record in customers}
        self.serial = random.Random(f"sqlstaging-ids-{seed}").getrandbits(40) << 24

    def customer(self, draw: random.Random, moment: int) -> Record:
        record = copy.deepcopy(self.pool[draw.randrange(len(self.pool))])
        record[KEY] = self._fresh_id(moment)
        record["number"], self.number = self.number, self.number + 1
        instant = timestamp(moment, draw.randrange(1000))
        for path in self.dates:
            if get_path(record, path) is not None:
                *parents, last = path.split(".")
                node = record
                for step in parents:
                    node = node[step]
                node[last] = instant
        record["invoiceRecipientId"], record["invoiceCCRecipientIds"] = None, []
        return record

    def name(self, draw: random.Random, old: str) -> str:
        """Another pool customer's name, never ``old``."""
        for _ in range(8):
            name = self.pool[draw.randrange(len(self.pool))]["name"]
            if name != old:
                return str(name)
        return f"{old} (neu)"

    def _fresh_id(self, moment: int) -> str:
        """An ObjectId of the write's instant that no customer has had."""
        while True:
            self.serial += 1
            customer_id = f"{moment:08x}{self.serial:016x}"
            if customer_id not in self.taken:
                self.taken.add(customer_id)
                return customer_id
