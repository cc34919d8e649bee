"""Values that tell the spec's reading of a filter from its misreadings, made from the values of the data.

A hurried server reads a filter value in ways the spec does not: pasted into a SQL ``LIKE`` pattern (``_`` and
``%`` match anything), trimmed, compared case-insensitively where the spec says exact, lower-cased where it says
case-folded, without accents, numbers compared as text or cut by ``parseInt``, a date-time without an offset read
in the server's time zone. Random values rarely show any of it: a value with ``_`` that no customer has finds
nothing under either reading. A *telling* value is made from a stored one so that the two readings answer
differently on the customer it came from: ``Gn_tz Hygiene`` from ``Gnatz Hygiene`` (``LIKE`` finds it, the spec
does not), ``" Gnatz Hygiene "`` as a person pastes it, ``STRASSE`` from ``Straße``, ``999`` beside ``1234`` (less as
a number, more as text), ``1234.5`` (``parseInt`` makes it ``1234``).

Each draw says which field types and operators it tells for (``TELLINGS``), never which filter: whatever
parameter reads a clause of that type with that operator gets it. ``docs/misreadings.yaml`` names, for each
misreading, the draw that tells it; ``tests/selftest/test_misreadings.py`` fails when a listed misreading has
no draw here, or when the draw does not make the spec's reading and the misreading answer differently on
sampled data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from contract_tests.generation.sample import Sample
from customers_spec.model import LIST_OPERATORS, TEXT_OPERATORS, Clause
from customers_spec.values import parse_datetime

ORDERING = frozenset({"gt", "gte", "lt", "lte"})
EXACT = frozenset({"eq", "ne"}) | LIST_OPERATORS
STRING_OPERATORS = EXACT | ORDERING | TEXT_OPERATORS
ALL_TYPES = frozenset({"string", "number", "boolean", "date", "objectid"})
BERLIN_SUMMER = timezone(timedelta(hours=2))
MAX_TEXT = 200  # the longest text value a string filter allows


@dataclass(frozen=True)
class Telling:
    """One way to make a telling value from a stored one (``make``: None when that value cannot give one)."""

    name: str
    types: frozenset[str]
    operators: frozenset[str]
    make: Callable[[Any, int], str | None]

    def applies(self, clause: Clause) -> bool:
        return clause.type in self.types and clause.operator in self.operators


def _text(value: Any) -> str | None:
    return value[: MAX_TEXT - 2] if isinstance(value, str) and value.strip() else None


def _letter_at(text: str, choice: int) -> int | None:
    """The position of a letter or digit of ``text``, the ``choice``-th one round (None: there is none)."""
    places = [index for index, char in enumerate(text) if char.isalnum()]
    return places[choice % len(places)] if places else None


def one_wildcard(value: Any, choice: int) -> str | None:
    """One letter replaced by ``_`` (``LIKE``'s any-one-character): ``Gn_tz Hygiene`` from ``Gnatz Hygiene``."""
    text = _text(value)
    place = _letter_at(text, choice) if text else None
    return None if text is None or place is None else text[:place] + "_" + text[place + 1 :]


def dot_wildcard(value: Any, choice: int) -> str | None:
    """One letter replaced by ``.`` (a regular expression's any character): ``Gnatz.Hygiene``."""
    text = _text(value)
    place = _letter_at(text, choice) if text else None
    return None if text is None or place is None else text[:place] + "." + text[place + 1 :]


def inner_part(value: Any, choice: int) -> str | None:
    """The value without its first and last character (``natz Hygien``): inside it, neither its start nor end."""
    text = _text(value)
    return text[1:-1] if text and len(text) > 3 and text[1:-1].strip() else None


def as_stored(value: Any, choice: int) -> str | None:
    """The value as the data holds it, as query text (a boundary; beside it, the customers without a value)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0")
    return value if isinstance(value, str) and value else None


def exists_false(value: Any, choice: int) -> str | None:
    """``false``: the customers with no value, an explicit null among them."""
    return "false"


def other_offset(value: Any, choice: int) -> str | None:
    """A date-time's instant written with another offset (``+02:00``): the same instant, other text."""
    moment = _moment(value)
    return None if moment is None else moment.astimezone(BERLIN_SUMMER).isoformat(timespec="milliseconds")


def padded(value: Any, choice: int) -> str | None:
    """The value as a person pastes it, with a space before and after (the spec compares it as written)."""
    text = _text(value)
    return None if text is None else f" {text} "


def trailing_space(value: Any, choice: int) -> str | None:
    """The value with a space after it (a SQL ``PAD SPACE`` collation compares it equal to the value)."""
    text = _text(value)
    return None if text is None else text + " "


def recased(value: Any, choice: int) -> str | None:
    """The value in another case (an exact comparison must not find it; a ``_ci`` collation does)."""
    text = _text(value)
    changed = text.swapcase() if text else None
    return changed if changed and changed != text else None


def sharp_s(value: Any, choice: int) -> str | None:
    """``ß`` written ``SS`` (the value upper-cased) or ``ss`` written ``ß``: equal case-folded, not lower-cased."""
    text = _text(value)
    if text is None:
        return None
    if "ß" in text:
        return text.upper()
    return text.replace("ss", "ß") if "ss" in text else None


def unaccented(value: Any, choice: int) -> str | None:
    """The value without its accents (``Muller`` from ``Müller``): case folding keeps them, so no match."""
    text = _text(value)
    if text is None:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain if plain != text else None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def other_digit_count(value: Any, choice: int) -> str | None:
    """A number with one digit fewer, all nines (``999`` beside ``1234``): less as a number, more as text."""
    number = _whole(value)
    if number is None or number < 0:
        return None
    return "9" * (len(str(number)) - 1) if number >= 10 else "10"


def half_above(value: Any, choice: int) -> str | None:
    """A whole number and a half (``1234.5``): ``parseInt`` and an integer cast make it ``1234``."""
    number = _whole(value)
    return None if number is None else f"{number}.5"


def digits_prefix(value: Any, choice: int) -> str | None:
    """A number's digits without the last (``123`` from ``1234``): equal to neither, a prefix match finds it."""
    number = _whole(value)
    return None if number is None or number < 10 else str(number)[:-1]


def day_of(value: Any, choice: int) -> str | None:
    """A date-time's (UTC) day as a full date: midnight, another instant, unless compared as a day."""
    moment = _moment(value)
    return None if moment is None or moment.time() == moment.min.time() else moment.date().isoformat()


def without_offset(value: Any, choice: int) -> str | None:
    """A date-time written in UTC without an offset (UTC, the spec says; JavaScript's ``Date`` reads local time)."""
    moment = _moment(value)
    return None if moment is None else moment.replace(tzinfo=None).isoformat(timespec="milliseconds")


def _moment(value: Any) -> Any:
    try:
        return parse_datetime(value).astimezone(UTC) if isinstance(value, str) else None
    except ValueError:
        return None


def false_text(value: Any, choice: int) -> str | None:
    """``false`` (JavaScript's ``Boolean("false")`` is true)."""
    return "false" if isinstance(value, bool) else None


TELLINGS: tuple[Telling, ...] = (
    Telling("one_wildcard", frozenset({"string"}), STRING_OPERATORS, one_wildcard),
    Telling("padded", frozenset({"string"}), STRING_OPERATORS, padded),
    Telling("trailing_space", frozenset({"string"}), EXACT | ORDERING, trailing_space),
    Telling("recased", frozenset({"string"}), STRING_OPERATORS, recased),
    Telling("dot_wildcard", frozenset({"string"}), TEXT_OPERATORS, dot_wildcard),
    Telling("inner_part", frozenset({"string"}), frozenset({"startsWith", "endsWith"}), inner_part),
    Telling("as_stored", frozenset({"string", "number", "date"}), frozenset({"ne", "nin", "gt", "lt"}), as_stored),
    Telling("exists_false", ALL_TYPES, frozenset({"exists"}), exists_false),
    Telling("other_offset", frozenset({"date"}), EXACT | ORDERING, other_offset),
    Telling("sharp_s", frozenset({"string"}), TEXT_OPERATORS, sharp_s),
    Telling("unaccented", frozenset({"string"}), STRING_OPERATORS, unaccented),
    Telling("other_digit_count", frozenset({"number"}), ORDERING, other_digit_count),
    Telling("half_above", frozenset({"number"}), EXACT | ORDERING, half_above),
    Telling("digits_prefix", frozenset({"number"}), EXACT, digits_prefix),
    Telling("day_of", frozenset({"date"}), frozenset({"eq", "ne", "gt", "lte"}), day_of),
    Telling("without_offset", frozenset({"date"}), frozenset({"eq", "ne", "gt", "gte", "lt", "lte"}), without_offset),
    Telling("false_text", frozenset({"boolean"}), frozenset({"eq", "ne"}), false_text),
)
BY_NAME = {telling.name: telling for telling in TELLINGS}


def telling_values(
    sample: Sample, clause: Clause, known: tuple[Any, ...] | None = None
) -> st.SearchStrategy[str] | None:
    """Telling values for ``clause`` made from the values the data has at its path (``known``, else the
    sample's); None when no draw tells anything for its type and operator, or no stored value gives one."""
    values = sample.of(clause.path) if known is None else known
    usable = [
        (telling, found)
        for telling in TELLINGS
        if telling.applies(clause) and (found := [value for value in values if telling.make(value, 0) is not None])
    ]
    if not usable:
        return None
    drawn = st.integers(0, len(usable) - 1).map(usable.__getitem__)  # sampled_from's repr would list every value
    return st.builds(_made, drawn, st.integers(0, 10**6), st.integers(0, 64))


def _made(usable: tuple[Telling, list[Any]], index: int, choice: int) -> str:
    telling, found = usable
    made = telling.make(found[index % len(found)], choice)
    assert made is not None  # ``found`` holds only the values this draw can use
    return made
