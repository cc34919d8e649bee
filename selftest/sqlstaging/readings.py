"""How the staging reads the spec into SQL, one rule per field, and its faults: the same rules with one misread.

A ``Reading`` is what a team writing this server decided each sentence of the spec means in SQL: how a text
operator is written, how a comparison treats NULL, which sort keys are ordered and where NULL goes, how far
``OFFSET`` skips, what ``X-Total-Count`` counts. The correct reading is ``CORRECT``; a fault is ``CORRECT`` with
one rule replaced (``dataclasses.replace``), so it lives in the query itself, and the total, the pages and the
``Link`` header all agree with its wrong answer, as they would on a staging that misread the spec.

``FAULTS`` is the table, by name: add a row (a name, what was misread, the reading) to add a fault.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from customers_spec.model import SortKey, SortSpec
from customers_spec.terms import Condition, Term

Sql = tuple[str, list[Any]]  # a fragment and its parameters, in order
Text = Callable[[str, str, str, str], Sql]  # (operator, value column, folded column, needle) -> SQL
Compare = Callable[[str, str, Sequence[Any]], Sql]  # (operator, column, bound values) -> SQL


def folded_text(operator: str, column: str, folded: str, needle: str) -> Sql:
    """contains/startsWith/endsWith on the case-folded column, the needle folded alike, compared literally."""
    part = needle.casefold()
    if operator == "contains":
        return f"instr({folded}, ?) > 0", [part]
    if operator == "startsWith":
        return f"substr({folded}, 1, length(?)) = ?", [part, part]
    return f"({folded} IS NOT NULL AND (length(?) = 0 OR substr({folded}, -length(?)) = ?))", [part, part, part]


def like_text(operator: str, column: str, folded: str, needle: str) -> Sql:
    """The needle pasted into a LIKE pattern: ``%`` and ``_`` in it match anything."""
    part = needle.casefold()
    pattern = {"contains": f"%{part}%", "startsWith": f"{part}%", "endsWith": f"%{part}"}[operator]
    return f"{folded} LIKE ?", [pattern]


def case_sensitive_contains(operator: str, column: str, folded: str, needle: str) -> Sql:
    """``contains`` on the stored text as it is (``instr`` is case-sensitive); the affixes still folded."""
    if operator == "contains":
        return f"instr({column}, ?) > 0", [needle]
    return folded_text(operator, column, folded, needle)


def absent_aware(operator: str, column: str, values: Sequence[Any]) -> Sql:
    """The comparisons of ``x-operators``: NULL meets none but ``ne`` and ``nin`` ("a field with no value is
    not equal", "qualifies"), which SQL's three-valued ``<>`` and ``NOT IN`` would drop."""
    marks = ", ".join("?" for _ in values)
    if operator == "ne":
        return f"({column} IS NULL OR {column} <> ?)", list(values)
    if operator == "nin":
        return (f"({column} IS NULL OR {column} NOT IN ({marks}))" if values else "1"), list(values)
    if operator == "in":
        return (f"{column} IN ({marks})" if values else "0"), list(values)
    symbol = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[operator]
    return f"{column} {symbol} ?", list(values)


def every_term(condition: Condition) -> tuple[Term, ...]:
    return condition.terms


def as_given(value: str) -> str:
    return value


def with_tie_breaker(sort: SortSpec, written: tuple[SortKey, ...]) -> tuple[SortKey, ...]:
    """The written keys (or the default), then the tie-breaker: the spec's full order."""
    return sort.ordered_by(written)


def mongo_nulls(descending: bool) -> str:
    """Nothing to add: SQLite puts NULL first ascending and last descending, the spec's "missing lowest"."""
    return ""


def unchanged(offset: int) -> int:
    return offset


@dataclass(frozen=True)
class Reading:
    """The SQL rules of one reading of the spec (see the module's docstring)."""

    terms: Callable[[Condition], tuple[Term, ...]] = every_term  # which terms of a filter are asked
    string: Callable[[str], str] = as_given  # a string value before it is compared
    text: Text = folded_text
    compare: Compare = absent_aware
    order_keys: Callable[[SortSpec, tuple[SortKey, ...]], tuple[SortKey, ...]] = with_tie_breaker
    nulls: Callable[[bool], str] = mongo_nulls  # added to each ORDER BY key, by its direction
    offset: Callable[[int], int] = unchanged
    total_filtered: bool = True  # whether X-Total-Count counts the filtered rows


CORRECT = Reading()


def without_path(parameter: str, path: str) -> Callable[[Condition], tuple[Term, ...]]:
    """One filter's clause on ``path`` never asked (a column left out of an OR)."""

    def terms(condition: Condition) -> tuple[Term, ...]:
        if condition.parameter != parameter:
            return condition.terms
        return tuple(term for term in condition.terms if term.clause.path != path)

    return terms


def written_keys_only(sort: SortSpec, written: tuple[SortKey, ...]) -> tuple[SortKey, ...]:
    """The written keys (or the default) without the tie-breaker: ties come out in the table's order."""
    return tuple(written) or sort.default


def nulls_highest(descending: bool) -> str:
    return " NULLS FIRST" if descending else " NULLS LAST"


def three_valued(operator: str, column: str, values: Sequence[Any]) -> Sql:
    """``ne`` and ``nin`` as plain SQL ``<>`` and ``NOT IN``: a row whose value is NULL is dropped."""
    if operator in ("ne", "nin"):
        marks = ", ".join("?" for _ in values)
        return (f"{column} <> ?" if operator == "ne" else f"{column} NOT IN ({marks})"), list(values)
    return absent_aware(operator, column, values)


@dataclass(frozen=True)
class SqlFault:
    """A named misreading: what a hurried SQL implementation took the spec to mean, and its reading."""

    name: str
    misread: str
    reading: Reading
    # Checks that cannot see this fault, so that a failure of theirs is not its catch (one that only adds
    # customers leaves none missing: a missing one is a write the kit took for the fault).
    blind: frozenset[str] = frozenset()


FAULT_LIST: tuple[SqlFault, ...] = (
    SqlFault(
        "like pattern",
        "a text value pasted into a LIKE pattern (% and _ match anything)",
        replace(CORRECT, text=like_text),
        blind=frozenset({"filters_complete"}),
    ),
    SqlFault("trimmed input", "a string value trimmed before it is compared", replace(CORRECT, string=str.strip)),
    SqlFault(
        "case-sensitive contains", "contains compared case-sensitively", replace(CORRECT, text=case_sensitive_contains)
    ),
    SqlFault(
        "nameAndAddress without city",
        "nameAndAddress does not search address.city",
        replace(CORRECT, terms=without_path("nameAndAddress", "address.city")),
    ),
    SqlFault("no tie-breaker", "sort without the _id tie-breaker", replace(CORRECT, order_keys=written_keys_only)),
    SqlFault(
        "missing values highest",
        "no value sorts last ascending (SQL's NULLS LAST)",
        replace(CORRECT, nulls=nulls_highest),
    ),
    SqlFault("offset off by one", "OFFSET skips one more than asked", replace(CORRECT, offset=lambda n: n + 1)),
    SqlFault("total before filtering", "X-Total-Count counts every customer", replace(CORRECT, total_filtered=False)),
    SqlFault(
        "ne drops no value",
        "ne and nin as SQL <> and NOT IN (a NULL never qualifies)",
        replace(CORRECT, compare=three_valued),
    ),
)
FAULTS: dict[str, SqlFault] = {fault.name: fault for fault in FAULT_LIST}


def reading_named(name: str) -> Reading:
    """The reading of a fault by name ("correct": the spec's); KeyError lists the names."""
    if name == "correct":
        return CORRECT
    if name not in FAULTS:
        raise KeyError(f"no SQL fault named {name!r}; faults: {', '.join(FAULTS)}")
    return FAULTS[name].reading
