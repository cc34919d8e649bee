"""Choosing witnesses: the sampled items a request's filters are asked again with, as varied as they can be.

Two items with the same signature (which operators their values meet with a request's values) test a server
the same way, so the witnesses are taken in turn from each group of equal signature.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from contract_tests.judging.context import Context
from contract_tests.judging.oracle import holds
from customers_spec.model import LIST_OPERATORS, Clause, FieldType, FilterRule, Spec
from customers_spec.terms import Condition, Term
from customers_spec.values import get_path, record_value

MEMO_LIMIT = 256  # flag columns kept per run


def signatures(
    records: Sequence[dict[str, Any]], conditions: Sequence[Condition], spec: Spec, memo: dict[Any, Any]
) -> list[tuple[bool, ...]]:
    """Per record: which operators of each term's field type its value meets with the term's value(s).

    Two items with the same signature test a server the same way; items with different ones test it
    differently (one exactly at a ``gt`` boundary, one without a value, an explicit null, one matching in
    another case...). Whether an item satisfies a term follows from its flags, so they need no more.
    """
    columns = [_flag_column(records, term, spec, memo) for condition in conditions for term in condition.terms]
    if not columns:
        return [()] * len(records)
    return list(zip(*columns, strict=True))  # each column's flags have one length: grouped as if flattened


def _flag_column(
    records: Sequence[dict[str, Any]], term: Term, spec: Spec, memo: dict[Any, Any]
) -> list[tuple[bool, ...]]:
    """Every record's flags for one term's path and value(s), whatever the operator: each probe of a request's
    value with another operator reuses them (memoized in the run's sample, whose records they describe)."""
    clause = term.clause
    wanted = term.value if isinstance(term.value, tuple) else (term.value,)
    key = (len(records), clause.path, clause.type, wanted[:3])
    found = memo.get(key)
    if found is None:
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        operators = [
            Clause(clause.path, operator, clause.type)
            for operator in sorted(spec.operators_by_type[clause.type] - LIST_OPERATORS - {"exists"})
        ]
        values = [each for each in wanted[:3] if not isinstance(each, bool)]
        loosely = [nearness(each) for each in values]
        found = [
            (
                value is None,
                has_key,
                *(holds(other, value, each) for other in operators for each in values),
                *(near(value) for near in loosely),
            )
            for value, has_key in _path_column(records, clause.path, clause.type, memo)
        ]
        memo[key] = found  # whole, only now: examples run concurrently (--workers) share the memo
    return found


def nearness(wanted: Any) -> Callable[[Any], bool]:
    """Whether a record's value is a near miss of ``wanted``: what a lenient reading of it would also meet.

    Text folded alike (case, accents, surrounding spaces) and with ``_`` and ``%`` matching anything; a number
    whose digits start with the wanted's or whose whole part is the wanted's; a date-time within a time zone's
    offset of the wanted one. Such an item has a signature of its own, so it is among the witnesses: it is the
    one a server that reads the value loosely (``LIKE``, trimmed, a ``_ci`` collation, ``parseInt``, local
    time) returns where the spec's reading does not, or leaves out where it does.
    """
    if isinstance(wanted, str):
        needle = _loose(wanted)
        if not needle:
            return lambda value: False
        pattern = re.compile("".join(_WILD.get(char, re.escape(char)) for char in needle))
        return lambda value: isinstance(value, str) and pattern.search(_loose(value)) is not None
    if isinstance(wanted, datetime):
        return lambda value: isinstance(value, datetime) and abs(value - wanted) <= NEAR_IN_TIME
    if isinstance(wanted, int | float) and not isinstance(wanted, bool):
        digits = str(int(wanted))
        return lambda value: (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and (int(value) == int(wanted) or str(int(value)).startswith(digits))
        )
    return lambda value: False


_WILD = {"%": ".*", "_": "."}
NEAR_IN_TIME = timedelta(hours=14)  # the widest offset a time zone has


@lru_cache(maxsize=1 << 16)  # every record's text, folded once per run rather than once per term
def _loose(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in folded if not unicodedata.combining(char))


def _path_column(
    records: Sequence[dict[str, Any]], path: str, field_type: FieldType, memo: dict[Any, Any]
) -> list[tuple[Any, bool]]:
    """Every record's value at ``path`` as its type compares it, and whether the key is there (memoized: each
    example asks about a few paths with new values, and the records do not change within a run)."""
    key = ("path column", len(records), path, field_type)
    found = memo.get(key)
    if found is None:
        found = [(record_value(field_type, get_path(item, path)), _has_key(item, path)) for item in records]
        memo[key] = found
    return found


def _has_key(item: dict[str, Any], path: str) -> bool:
    """Whether the path's last key is there (an explicit null and an absent key must both be tried)."""
    *parents, last = path.split(".")
    node: Any = item
    for step in parents:
        node = node.get(step) if isinstance(node, dict) else None
    return isinstance(node, dict) and last in node


def varied(records: Sequence[dict[str, Any]], keys: Sequence[Any], limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` records, taken in turn from each group of equal key (groups in first-seen order)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record, key in zip(records, keys, strict=True):
        groups.setdefault(key, []).append(record)
    chosen: list[dict[str, Any]] = []
    queues = list(groups.values())
    depth = 0
    while len(chosen) < limit and any(depth < len(queue) for queue in queues):
        chosen.extend(queue[depth] for queue in queues if depth < len(queue))
        depth += 1
    return chosen[:limit]


def identified(ctx: Context, rule: FilterRule) -> list[dict[str, Any]]:
    """The sampled records that have an identity to ask for them by (once per run)."""
    key = ("identified", rule.parameter)
    found = ctx.sample.memo.get(key)
    if found is None:  # kept in a local: another example may clear the shared memo meanwhile
        path = rule.clauses[0].path
        found = [record for record in ctx.sample.records if isinstance(get_path(record, path), str)]
        ctx.sample.memo[key] = found
    return found
