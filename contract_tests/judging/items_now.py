"""The items a disagreement is about, as the server has them now: read again by id, unfiltered.

The sign of change (``reference.sign_of``: the total and a digest of the first page) misses a write past the
first page and a rename that keeps the total; at 100,000 customers that is almost every write. So before a
disagreement between answers is confirmed, the items it names (``ContractViolation.about``) and those it was
judged on (``witnesses``) are read again with the spec's id filter (the list filter whose ``x-filter`` is
``in`` on the tie-breaker's unique path, ``variants.identity_rule``) beside asking the disputed requests again,
and the check runs again on a reference holding their current state (``patched``). Where the spec has no such
filter, or the server's answer to it is not a page of exactly the asked items, this says so (None) and
confirmation falls back to the sign alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.variants import identity_rule, max_ids, restricted
from contract_tests.judging.context import Context
from contract_tests.judging.reference import Reference
from customers_spec.values import get_path

Record = dict[str, Any]


@dataclass(frozen=True)
class ItemsNow:
    """The asked items as read at one moment: the current record of each id that exists (a missing id: gone)."""

    asked: tuple[str, ...]
    found: Mapping[str, Record]

    @property
    def gone(self) -> tuple[str, ...]:
        return tuple(each for each in self.asked if each not in self.found)

    @property
    def digest(self) -> bytes:
        """What two readings compare: equal digests, the asked items stood still between them."""
        body = orjson.dumps([self.found.get(each) for each in self.asked], option=orjson.OPT_SORT_KEYS)
        return hashlib.blake2b(body, digest_size=16).digest()


def read_by_id(ctx: Context, ids: Iterable[str]) -> ItemsNow | None:
    """The items of ``ids`` as the server answers them now, unfiltered but by id (pages of the filter's
    ``maxItems``); None when the spec has no id filter or an answer is not a page of just the asked items
    and a count agreeing with it (the server's id filter cannot then tell a removed item from a lost one)."""
    rule = identity_rule(ctx.spec)
    asked = tuple(dict.fromkeys(ids))
    if rule is None:
        return None
    path, size = rule.clauses[0].path, max_ids(ctx.spec, rule)
    found: dict[str, Record] = {}
    for start in range(0, len(asked), size):
        chunk = asked[start : start + size]
        probe = restricted(ctx, Case("valid"), chunk, rule, ())
        response = ctx.transport.send(ctx.url(probe.query), probe.credentials)
        items = ctx.items(response)
        if items is None or ctx.total(response) != len(items):
            return None
        for item in items:
            if get_path(item, path) not in chunk:
                return None
            found[get_path(item, path)] = item
    return ItemsNow(asked, found)


def patched(reference: Reference, now: ItemsNow, path: str) -> Reference:
    """``reference`` with the asked items as they are now: changed ones replaced in place, gone ones left out;
    the sign stays the reference's (the rest of it was read then). Its sample's memo starts empty, as its
    records differ."""

    def mended(records: Sequence[Record]) -> list[Record]:
        kept = []
        for record in records:
            own = get_path(record, path)
            if own in now.asked:
                if own in now.found:
                    kept.append(now.found[own])
            else:
                kept.append(record)
        return kept

    everything = mended(reference.everything) if reference.everything is not None else None
    sample = replace(reference.sample, records=tuple(mended(reference.sample.records)), memo={})
    return Reference(everything, sample, reference.sign)


def id_path(ctx: Context) -> str | None:
    rule = identity_rule(ctx.spec)
    return rule.clauses[0].path if rule is not None else None
