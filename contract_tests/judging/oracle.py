"""The spec's meaning over plain items, written as plainly as possible so that it is obviously right.

No indexes, no cleverness: a filter is a loop over terms, an order is ``functools.cmp_to_key`` over the sort
keys. The mock implements the same meaning with indexes; the contract kit checks one against the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cmp_to_key
from typing import Any

from customers_spec import load_spec
from customers_spec.model import TEXT_OPERATORS, Clause, SortKey, Spec
from customers_spec.terms import Condition, Term
from customers_spec.values import get_path, record_value


def satisfies(item: dict[str, Any], condition: Condition, objects: Sequence[dict[str, Any]] = ()) -> bool:
    """Whether ``item`` satisfies one filter: any of its terms matches (relation terms look at ``objects``)."""
    return any(_term_holds(item, term, objects) for term in condition.terms)


def satisfies_all(
    item: dict[str, Any], conditions: Iterable[Condition], objects: Sequence[dict[str, Any]] = ()
) -> bool:
    """Whether ``item`` satisfies every filter of a request (filters combine with AND)."""
    return all(satisfies(item, condition, objects) for condition in conditions)


def checkable(condition: Condition) -> bool:
    """Whether a client can decide the condition from returned items alone (not through a relation)."""
    return all(term.clause.via is None for term in condition.terms)


def select(
    items: Iterable[dict[str, Any]],
    conditions: Iterable[Condition],
    keys: Sequence[SortKey],
    objects: Sequence[dict[str, Any]] = (),
    *,
    spec: Spec | None = None,
) -> list[dict[str, Any]]:
    """The full result of a query before paging: the items satisfying every condition, in order."""
    conditions = tuple(conditions)
    return order([item for item in items if satisfies_all(item, conditions, objects)], keys, spec=spec)


def order(items: Sequence[dict[str, Any]], keys: Sequence[SortKey], *, spec: Spec | None = None) -> list[dict]:
    """``items`` sorted by ``keys`` (pass the effective keys, tie-breaker included); a stable sort."""
    types = (spec or load_spec()).field_types

    def by_keys(left: dict[str, Any], right: dict[str, Any]) -> int:
        return compare(left, right, keys, types)

    return sorted(items, key=cmp_to_key(by_keys))


def misordered_at(items: Sequence[dict[str, Any]], keys: Sequence[SortKey], *, spec: Spec | None = None) -> int | None:
    """The first index ``i`` whose item must come after item ``i + 1``, or None when in order."""
    types = (spec or load_spec()).field_types
    for index in range(len(items) - 1):
        if compare(items[index], items[index + 1], keys, types) > 0:
            return index
    return None


def is_ordered(items: Sequence[dict[str, Any]], keys: Sequence[SortKey], *, spec: Spec | None = None) -> bool:
    """Whether ``items`` follow ``keys`` (equal neighbours are in order)."""
    return misordered_at(items, keys, spec=spec) is None


def compare(left: dict[str, Any], right: dict[str, Any], keys: Sequence[SortKey], types: Mapping[str, str]) -> int:
    """-1, 0 or 1: the first key that tells the two items apart decides; descending flips it."""
    for key in keys:
        field_type = types.get(key.path, "string")
        result = _compare_values(
            record_value(field_type, get_path(left, key.path)),  # type: ignore[arg-type]
            record_value(field_type, get_path(right, key.path)),  # type: ignore[arg-type]
        )
        if result:
            return -result if key.descending else result
    return 0


def _compare_values(left: Any, right: Any) -> int:
    """Missing values are lowest; the rest compare natively (strings by code point, dates by instant)."""
    if left is None or right is None:
        return (left is not None) - (right is not None)
    return (left > right) - (left < right)


def holds(clause: Clause, value: Any, wanted: Any) -> bool:
    """Whether a record's value (typed by ``record_value``) meets ``clause.operator`` with ``wanted``."""
    return _operator_holds(clause, value, wanted)


# Operators whose results, with the same value, split every customer into disjoint parts that cover all:
# a comparison and its opposite, plus the customers with no value (which meet neither; x-operators says so).
PARTITIONS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "eq": (("ne", None),),
    "ne": (("eq", None),),
    "in": (("nin", None),),
    "nin": (("in", None),),
    "gt": (("lte", None), ("exists", "false")),
    "gte": (("lt", None), ("exists", "false")),
    "lt": (("gte", None), ("exists", "false")),
    "lte": (("gt", None), ("exists", "false")),
}

# How a text needle grows so that the longer one can only find fewer customers: at the end for contains and
# startsWith, at the start for endsWith.
GROWS_AT_END: dict[str, bool] = {"contains": True, "startsWith": True, "endsWith": False}
# The operator whose result contains this one's, for the same needle.
WIDER_TEXT_OPERATOR: dict[str, str] = {"startsWith": "contains", "endsWith": "contains"}


def _term_holds(item: dict[str, Any], term: Term, objects: Sequence[dict[str, Any]]) -> bool:
    clause = term.clause
    if clause.via is not None:
        return _relation_holds(item, term, objects)
    value = record_value(clause.type, get_path(item, clause.path))
    return _operator_holds(clause, value, term.value)


def _relation_holds(item: dict[str, Any], term: Term, objects: Sequence[dict[str, Any]]) -> bool:
    """The item's key is the ``select`` value of some related object whose ``match`` value meets the term."""
    via = term.clause.via
    assert via is not None
    own = get_path(item, term.clause.path)
    if own is None:
        return False
    for related in objects:
        if get_path(related, via.select) == own and _operator_holds(
            term.clause, get_path(related, via.match), term.value
        ):
            return True
    return False


def _operator_holds(clause: Clause, value: Any, wanted: Any) -> bool:
    """One comparison as ``components.x-operators`` defines it; a missing value meets only ne, nin, exists=false."""
    operator = clause.operator
    if operator == "exists":
        return (value is not None) == wanted
    if value is None:
        return operator in ("ne", "nin")
    if operator == "eq":
        return _equal(value, wanted)
    if operator == "ne":
        return not _equal(value, wanted)
    if operator == "in":
        return any(_equal(value, each) for each in wanted)
    if operator == "nin":
        return not any(_equal(value, each) for each in wanted)
    if operator in TEXT_OPERATORS:
        return _text_holds(operator, value, wanted)
    return _ordering_holds(operator, value, wanted)


def _equal(value: Any, wanted: Any) -> bool:
    """Equality that keeps booleans apart from numbers (``True == 1`` in Python, not in the spec)."""
    return isinstance(value, bool) == isinstance(wanted, bool) and value == wanted


def _text_holds(operator: str, value: Any, wanted: str) -> bool:
    if not isinstance(value, str):
        return False
    text, part = value.casefold(), wanted.casefold()
    if operator == "contains":
        return part in text
    if operator == "startsWith":
        return text.startswith(part)
    return text.endswith(part)


def _ordering_holds(operator: str, value: Any, wanted: Any) -> bool:
    """gt/gte/lt/lte; values that do not compare (a string against a number) meet none of them."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return False
    try:
        result = _compare_values(value, wanted)
    except TypeError:
        return False
    return {"gt": result > 0, "gte": result >= 0, "lt": result < 0, "lte": result <= 0}[operator]


def link_offsets(offset: int, limit: int, total: int) -> dict[str, int]:
    """The offset of each Link relation a page must carry, as the spec's ``Link`` header describes them.

    ``first`` (0) and ``last`` (the last page of the chain from offset 0) always; ``prev`` (offset minus
    limit, at least 0) when offset > 0; ``next`` (offset plus limit) when more items follow.
    """
    offsets = {"first": 0, "last": max(0, (total - 1) // limit * limit)}
    if offset > 0:
        offsets["prev"] = max(offset - limit, 0)
    if offset + limit < total:
        offsets["next"] = offset + limit
    return offsets
