"""A mix of distinct, realistic list queries, written both in the mock's syntax and in json-server's.

Frontends and end-to-end suites rarely repeat a query: every keystroke of a search box is a new ``name=``. The
mix draws, per query, a text filter (a substring of a real customer's name or city, in ``nameAndAddress`` or
``name``), a status list or a ``generalField`` range, one of nine sorts, a limit of 10..100 and an offset of up
to half the data. Queries are distinct and far more numerous than any cache of the mock holds (parsed queries:
256, results: 32), so a load that walks them measures the query engine, not a cache.

json-server 0.17 has no "substring of any address field": ``nameAndAddress=x`` becomes ``q=x`` (a substring of
any field, a superset), ``name=x`` becomes ``name_like=x`` (a case-insensitive regular expression; the
substrings are escaped), a status list repeated ``status.status=`` parameters, a range ``FIELD_gte=``, a sort
``_sort=``/``_order=``, and paging ``_start=``/``_limit=``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

# Nine sorts: the default order, single keys both ways, and two-key sorts.
SORTS: tuple[tuple[tuple[str, int], ...], ...] = (
    (),
    (("name", 1),),
    (("name", -1),),
    (("number", -1),),
    (("status.createdAt", -1),),
    (("address.city", 1),),
    (("address.zip", 1),),
    (("address.city", 1), ("name", -1)),
    (("status.status", 1), ("status.createdAt", -1)),
)
RANGE_FIELDS = ("number", "status.createdAt")
RANGE_OPERATORS = ("gte", "lte", "gt", "lt")


@dataclass(frozen=True)
class Query:
    """One query of the mix, as the mock's and as json-server's query string (path excluded)."""

    mock: str
    json_server: str


def varied_queries(customers: Sequence[dict[str, Any]], count: int, seed: int = 7) -> list[Query]:
    """``count`` distinct queries over ``customers``, in random order (same seed, same queries)."""
    rng = random.Random(seed)
    found: dict[str, Query] = {}
    attempts = 0
    while len(found) < count:
        attempts += 1
        if attempts > 50 * count:
            raise ValueError(f"cannot draw {count} distinct queries from {len(customers)} customers")
        query = _draw(rng, customers)
        found.setdefault(query.mock, query)
    queries = list(found.values())
    rng.shuffle(queries)
    return queries


def _draw(rng: random.Random, customers: Sequence[dict[str, Any]]) -> Query:
    mock: list[tuple[str, str]] = []
    peer: list[tuple[str, str]] = []
    customer = customers[rng.randrange(len(customers))]
    kind = rng.random()
    if kind < 0.45:
        text = _substring(rng, rng.choice([customer.get("name"), (customer.get("address") or {}).get("city")]))
        mock.append(("nameAndAddress", text))
        peer.append(("q", text))
    elif kind < 0.8:
        text = _substring(rng, customer.get("name"))
        mock.append(("name", text))
        peer.append(("name_like", re.escape(text)))
    kind = rng.random()
    if kind < 0.4:
        statuses = sorted(rng.sample(range(1, 6), rng.randint(1, 3)))
        mock.append(("status", ",".join(map(str, statuses))))
        peer.extend(("status.status", str(status)) for status in statuses)
    elif kind < 0.7:
        field = rng.choice(RANGE_FIELDS)
        operator = rng.choice(RANGE_OPERATORS)
        value = _field_value(rng.choice(customers), field)
        mock += [("generalField[field]", field), ("generalField[operator]", operator)]
        mock.append(("generalField[value]", value))
        peer.append((f"{field}_{operator[:2]}e", value))  # json-server has _gte/_lte only
    sort = rng.choice(SORTS)
    if sort:
        mock.append(("sort", ",".join(f"{path}:{direction}" for path, direction in sort)))
        peer.append(("_sort", ",".join(path for path, _ in sort)))
        peer.append(("_order", ",".join("asc" if direction == 1 else "desc" for _, direction in sort)))
    limit = rng.randint(10, 100)
    offset = rng.randint(0, len(customers) // 2) if rng.random() < 0.5 else 0
    mock += [("limit", str(limit)), ("offset", str(offset))]
    peer += [("_start", str(offset)), ("_limit", str(limit))]
    return Query(urlencode(mock), urlencode(peer))


def _substring(rng: random.Random, text: Any) -> str:
    """2 to 6 characters of ``text`` from a random place, in the case a person might type them."""
    if not isinstance(text, str) or len(text) < 2:
        text = "er"
    length = min(len(text), rng.randint(2, 6))
    start = rng.randrange(len(text) - length + 1)
    part = text[start : start + length].strip() or "er"
    return part.lower() if rng.random() < 0.7 else part


def _field_value(customer: dict[str, Any], field: str) -> str:
    if field == "number":
        return str(customer.get("number", 0))
    created = (customer.get("status") or {}).get("createdAt") or "2024-01-01T00:00:00Z"
    return str(created)


def wrk_paths(path: str, queries: Sequence[str]) -> str:
    """The request targets, one a line, for ``selftest/walk.lua``."""
    return "".join(f"{path}?{query}\n" for query in queries)
