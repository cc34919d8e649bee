"""A plain implementation of each listed misreading (``docs/misreadings.yaml``), and the engine faults made of them.

A reading answers whether a record meets one clause with the query value as written (``raw``), the way the
misreading implementation does: ``LIKE`` with the value pasted in, the value trimmed, ``LOWER()`` where the spec
case-folds, ``parseInt``. The test of the misreadings holds each against the kit's oracle on sampled data, with
the values the kit's telling draws make; ``misreading_faults`` turns the readings that no older engine fault of
``selftest.faults`` commits into engine faults of their own (``QUERY_REWRITES``: those a reading of the query
text makes, where the engine's typed terms no longer hold the text), so the kit is proven to catch each without
the data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cmp_to_key
from typing import Any

from contract_tests.judging.oracle import holds
from customers_spec import load_spec
from customers_spec.model import LIST_OPERATORS, Clause, SortKey
from customers_spec.terms import Condition, Term
from customers_spec.values import get_path, parse_datetime, parse_value, record_value
from customers_spec.wire import Pairs
from selftest.engine import Engine, Record
from selftest.misreadings import Misreading

Reading = Callable[[Clause, Record, str], bool]
SEPARATOR = ","  # the spec's x-list-separator, as the misreading implementations split lists
SERVER_OFFSET = "+01:00"  # the server's local time (Berlin in winter)
NO_OFFSET = re.compile(r"^\d{4}-\d\d-\d\d[Tt][0-9:.]+$")


def _value(clause: Clause, record: Record) -> Any:
    return record_value(clause.type, get_path(record, clause.path))


def _typed(clause: Clause, raw: str) -> Any:
    if clause.operator == "exists":
        return parse_value("boolean", raw)
    if clause.operator in LIST_OPERATORS:
        return tuple(parse_value(clause.type, item) for item in raw.split(SEPARATOR))
    return parse_value(clause.type, raw)


def spec_reading(clause: Clause, record: Record, raw: str) -> bool:
    """The spec's reading, by the kit's oracle (what every misreading is told from)."""
    return holds(clause, _value(clause, record), _typed(clause, raw))


def _text_test(fold: Callable[[str], str], *, literal: bool = True) -> Reading:
    """contains/startsWith/endsWith with both sides made alike by ``fold``; ``literal`` False: ``_`` and ``%``
    in the value are ``LIKE``'s wildcards."""

    def reading(clause: Clause, record: Record, raw: str) -> bool:
        value = _value(clause, record)
        if not isinstance(value, str):
            return False
        pieces = fold(raw) if literal else "".join({"_": ".", "%": ".*"}.get(c, re.escape(c)) for c in fold(raw))
        pattern = re.escape(pieces) if literal else pieces
        anchored = {"contains": "{}", "startsWith": "^(?:{})", "endsWith": "(?:{})$"}[clause.operator]
        return re.search(anchored.format(pattern), fold(value), re.DOTALL) is not None

    return reading


def _regex(clause: Clause, record: Record, raw: str) -> bool:
    value = _value(clause, record)
    anchored = {"contains": "{}", "startsWith": "^(?:{})", "endsWith": "(?:{})$"}[clause.operator]
    try:
        pattern = re.compile(anchored.format(raw), re.IGNORECASE)
    except re.error:
        return False
    return isinstance(value, str) and pattern.search(value) is not None


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _with_raw(change: Callable[[str], str]) -> Reading:
    """The spec's reading of the value as the implementation changed it (trimmed, its list values trimmed)."""
    return lambda clause, record, raw: spec_reading(clause, record, change(raw))


def _exact(fold: Callable[[str], str]) -> Reading:
    """eq/ne/in/nin on strings with both sides made alike by ``fold`` (a collation)."""

    def reading(clause: Clause, record: Record, raw: str) -> bool:
        value = _value(clause, record)
        if value is None:
            return clause.operator in ("ne", "nin")
        wanted = raw.split(SEPARATOR) if clause.operator in LIST_OPERATORS else [raw]
        equal = any(fold(value) == fold(each) for each in wanted)
        return equal if clause.operator in ("eq", "in") else not equal

    return reading


def _as_operator(operator: str) -> Reading:
    return lambda clause, record, raw: spec_reading(Clause(clause.path, operator, clause.type), record, raw)


def _missing_dropped(clause: Clause, record: Record, raw: str) -> bool:
    return _value(clause, record) is not None and spec_reading(clause, record, raw)


def _exists_by_key(clause: Clause, record: Record, raw: str) -> bool:
    *parents, last = clause.path.split(".")
    node: Any = record
    for step in parents:
        node = node.get(step) if isinstance(node, dict) else None
    return (isinstance(node, dict) and last in node) == (raw == "true")


def _numbers_as_text(clause: Clause, record: Record, raw: str) -> bool:
    value = _value(clause, record)
    if value is None or isinstance(value, bool):
        return False
    text = str(int(value)) if float(value).is_integer() else str(value)
    return {"gt": text > raw, "gte": text >= raw, "lt": text < raw, "lte": text <= raw}[clause.operator]


def _cut_to_integers(raw: str) -> str:
    return SEPARATOR.join(str(int(float(each))) for each in raw.split(SEPARATOR))


def _number_prefix(clause: Clause, record: Record, raw: str) -> bool:
    value = _value(clause, record)
    return isinstance(value, int) and not isinstance(value, bool) and str(value).startswith(raw)


def _dates_as_text(clause: Clause, record: Record, raw: str) -> bool:
    """The stored text against the value as the server re-wrote it (ISO, with its offset)."""
    stored = get_path(record, clause.path)
    if stored is None:
        return clause.operator == "ne"
    text = parse_datetime(raw).isoformat()
    compare = {"eq": str.__eq__, "ne": str.__ne__, "gt": str.__gt__, "gte": str.__ge__, "lt": str.__lt__}
    return bool(compare.get(clause.operator, str.__le__)(str(stored), text))


def _by_day(clause: Clause, record: Record, raw: str) -> bool:
    value = _value(clause, record)
    if value is None:
        return clause.operator == "ne"
    day, wanted = value.astimezone(UTC).date(), parse_datetime(raw).astimezone(UTC).date()
    return {"eq": day == wanted, "ne": day != wanted, "gt": day > wanted, "lte": day <= wanted}[clause.operator]


def local_time(raw: str) -> str:
    """A date-time without an offset as JavaScript's ``Date`` reads it: in the server's local time."""
    return raw + SERVER_OFFSET if NO_OFFSET.match(raw) else raw


def _truthy(clause: Clause, record: Record, raw: str) -> bool:
    return spec_reading(clause, record, "true" if raw else "false")


READINGS: dict[str, Reading] = {
    "like-wildcards": _text_test(str.casefold, literal=False),
    "regex-unescaped": _regex,
    "input-trimmed": _with_raw(str.strip),
    "list-values-trimmed": _with_raw(lambda raw: SEPARATOR.join(each.strip() for each in raw.split(SEPARATOR))),
    "pad-space-equality": _exact(lambda text: text.rstrip(" ")),
    "case-insensitive-exact": _exact(str.casefold),
    "case-sensitive-text": _text_test(str),
    "lowercased-not-folded": _text_test(str.lower),
    "accent-insensitive": _text_test(_unaccented),
    "startswith-as-contains": _as_operator("contains"),
    "endswith-as-contains": _as_operator("contains"),
    "ne-drops-missing": _missing_dropped,
    "nin-drops-missing": _missing_dropped,
    "exists-by-key": _exists_by_key,
    "gt-as-gte": _as_operator("gte"),
    "lt-as-lte": _as_operator("lte"),
    "numbers-as-text": _numbers_as_text,
    "parse-int": _with_raw(_cut_to_integers),
    "number-prefix": _number_prefix,
    "dates-as-text": _dates_as_text,
    "date-as-day": _by_day,
    "local-time-without-offset": _with_raw(local_time),
    "false-is-truthy": _truthy,
}


SortReading = Callable[[Sequence[Record], Sequence[SortKey], Mapping[str, str]], list[Record]]


def _ordered(fold: Callable[[Any], Any], *, missing_last: bool = False) -> SortReading:
    """Records sorted with each value made ``fold(value)`` first; ``missing_last``: no value after every value,
    whatever the direction (SQL's ``NULLS LAST``, JavaScript's sort of ``undefined``)."""

    def order(records: Sequence[Record], keys: Sequence[SortKey], types: Mapping[str, str]) -> list[Record]:
        def compare(left: Record, right: Record) -> int:
            for key in keys:
                a = record_value(types.get(key.path, "string"), get_path(left, key.path))  # type: ignore[arg-type]
                b = record_value(types.get(key.path, "string"), get_path(right, key.path))  # type: ignore[arg-type]
                if a is None or b is None:
                    low = (a is not None) - (b is not None)  # no value lowest, as the spec says
                    result = -low if missing_last else (-low if key.descending else low)
                else:
                    a, b = fold(a), fold(b)
                    result = ((a > b) - (a < b)) * (-1 if key.descending else 1)
                if result:
                    return result
            return 0

        return sorted(records, key=cmp_to_key(compare))

    return order


def _collated(value: Any) -> Any:
    """A string as a locale's collation compares it first: case and accents aside (then as it is)."""
    return (_unaccented(value), value) if isinstance(value, str) else value


SORT_READINGS: dict[str, SortReading] = {
    "missing-sort-last": _ordered(lambda value: value, missing_last=True),
    "locale-collation": _ordered(_collated),
}


def _reorder(reading: SortReading) -> Callable[[Any, list[int], Any], list[int]]:
    """The faulty store's matches put in the reading's order (positions are in tie-breaker order)."""

    def reorder(store: Any, positions: list[int], keys: Any) -> list[int]:
        if not keys:
            return positions
        records = store.records
        by_record = {id(records[position]): position for position in positions}
        ordered = reading([records[position] for position in positions], keys, load_spec().field_types)
        return [by_record[id(record)] for record in ordered]

    return reorder


def raw_text(term: Term) -> str:
    """A term's value written back as query text (the misreadings read the text, the engine holds it typed)."""
    values = term.value if isinstance(term.value, tuple) else (term.value,)
    return SEPARATOR.join(_written(value) for value in values)


def _written(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def misreading_engine(misreading: Misreading) -> Engine:
    """The mock's engine deciding the terms ``misreading`` touches by its reading (the rest as the spec says), or
    ordering its matches by the reading of a misread ``sort``."""
    if misreading.id in SORT_READINGS:
        return Engine(reorder=_reorder(SORT_READINGS[misreading.id]))
    reading = READINGS[misreading.id]

    def predicate(condition: Condition, term: Term) -> Callable[[Record], bool] | None:
        clause = term.clause
        if clause.via is not None or clause.type not in misreading.types or clause.operator not in misreading.operators:
            return None
        raw = raw_text(term)
        return lambda record: reading(clause, record, raw)

    return Engine(predicate=predicate)


def local_time_query(pairs: Pairs) -> Pairs:
    """Every query value that is a date-time without an offset read in the server's local time (the wrong
    instant goes into the query, so totals, pages and links agree with it)."""
    return tuple((key, local_time(value)) for key, value in pairs)


QUERY_REWRITES: dict[str, Callable[[Pairs], Pairs]] = {"local-time-without-offset": local_time_query}
