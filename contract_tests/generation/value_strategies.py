"""Strategies for one filter value as the query carries it (text), biased toward values in the data.

A value for ``(path, type, operator)`` is drawn mostly from the sample: whole values for exact operators,
fragments in mixed case for ``contains``/``startsWith``/``endsWith``, neighbours of numbers, dates written
with another offset, without one or as a full date. Random values keep the rest of the space covered.

Text is also drawn as people type it, within what the spec says it means (``TYPINGS``): ``ß`` written
``ss`` or ``SS`` (case-folded, they match), and a regular-expression metacharacter in place of a letter or
beside it (literal, so ``M.ller`` finds no ``Müller``; a server that builds a regex from it does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

from hypothesis import strategies as st

from contract_tests.generation.sample import Sample
from contract_tests.generation.telling import telling_values
from customers_spec.model import LIST_OPERATORS, TEXT_OPERATORS, Clause
from customers_spec.values import parse_datetime

T = TypeVar("T")
HEX = "0123456789abcdef"
CASINGS: tuple[Callable[[str], str], ...] = (str, str.upper, str.lower, str.swapcase, str.title)
BERLIN_SUMMER = timezone(timedelta(hours=2))
TELLING_SHARE = 5

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=6)
object_ids = st.text(HEX, min_size=24, max_size=24)
booleans = st.sampled_from(["true", "false"])


def picked(options: Sequence[T]) -> st.SearchStrategy[T]:
    """Like ``sampled_from``, but its repr does not list every option (data samples are long; Hypothesis
    warns about huge reprs). Shrinks toward the first option, as ``sampled_from`` does."""
    options = tuple(options)
    if not options:
        return st.nothing()  # nothing to pick (a list without filters): a branch that is never drawn
    return st.integers(0, len(options) - 1).map(options.__getitem__)


def values_for(sample: Sample, clause: Clause) -> st.SearchStrategy[str]:
    """One value for ``clause`` as query text (lists are built from several of these); one in ``TELLING_SHARE``
    is a telling value (``generation.telling``: where the spec's reading and a misreading answer differently)."""
    base = _values_for(sample, clause)
    told = telling_values(sample, clause) if clause.via is None else None
    return base if told is None else st.one_of(*[base] * (TELLING_SHARE - 1), told)


def _values_for(sample: Sample, clause: Clause) -> st.SearchStrategy[str]:
    if clause.via is not None:
        return _known_or(sample.of_related(clause.via.collection, clause.via.match), object_ids)
    if clause.operator == "exists":
        return booleans
    known = sample.of(clause.path)
    if clause.type == "string":
        return _strings(known, clause.operator)
    if clause.type == "number":
        return _numbers(known, exact=clause.operator in LIST_OPERATORS)
    if clause.type == "date":
        return _dates(known)
    if clause.type == "objectid":
        return _known_or(known, object_ids)
    return booleans


def number_text(value: float) -> str:
    """A number as the spec's ``NumberValue`` writes it (no exponent, at most 6 decimals)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0")


def _known_or(known: tuple[Any, ...], fallback: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    if not known:
        return fallback
    return _mostly(picked([str(value) for value in known]), fallback)


def _mostly(likely: st.SearchStrategy[str], rest: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``likely`` three times in four: values from the data, with the rest of the space still reached."""
    return st.one_of(likely, likely, likely, rest)


def _strings(known: tuple[Any, ...], operator: str) -> st.SearchStrategy[str]:
    words = [value for value in known if isinstance(value, str) and value]
    if not words:
        return texts
    if operator in TEXT_OPERATORS:
        fragments = st.builds(fragment, picked(words), st.integers(0, 40), st.integers(1, 8), st.just(operator))
        recased = st.builds(cased, fragments, st.sampled_from(CASINGS))
        return _mostly(st.one_of(recased, recased, st.builds(typed, fragments, st.sampled_from(TYPINGS))), texts)
    return _mostly(picked(words), texts)


def fragment(word: str, start: int, length: int, operator: str) -> str:
    """A piece of ``word`` that the operator can match: a prefix, a suffix or any substring."""
    length = min(length, len(word))
    if operator == "startsWith":
        return word[:length]
    if operator == "endsWith":
        return word[-length:]
    start %= len(word)
    return word[start : start + length]


def cased(text: str, casing: Callable[[str], str]) -> str:
    return casing(text)


def _folded(text: str) -> str:
    """``ß`` as ``ss`` and ``ss`` as ``ß``: the same text once case-folded."""
    return text.replace("ß", "ss") if "ß" in text else text.replace("ss", "ß")


def _wildcard(text: str) -> str:
    """The middle letter replaced by ``.`` (a regex would take it for any character)."""
    middle = len(text) // 2
    return text[:middle] + "." + text[middle + 1 :] if len(text) > 2 else text + "."


def _metacharacters(text: str) -> str:
    """A group, a quantifier and a class opened in the text (a regex would fail or match otherwise)."""
    middle = len(text) // 2
    return f"{text[:middle]}(+[{text[middle:]}" if text else "(+["


TYPINGS: tuple[Callable[[str], str], ...] = (_folded, str.upper, _wildcard, _metacharacters, lambda text: text + "*")


def typed(text: str, typing: Callable[[str], str]) -> str:
    """A piece of stored text as a person types it (``TYPINGS``)."""
    return typing(text)


def _numbers(known: tuple[Any, ...], *, exact: bool = False) -> st.SearchStrategy[str]:
    """Numbers from the data or next to them (``exact``: from the data, as a list's values must be to judge a
    list: ``status=a,b`` with values no customer has finds nothing whatever the server does)."""
    numbers = [value for value in known if isinstance(value, int | float) and not isinstance(value, bool)]
    spread = st.integers(-5, 10**6).map(number_text)
    if not numbers:
        return spread
    if exact:
        return _mostly(picked([number_text(value) for value in numbers]), spread)
    nearby = st.builds(lambda value, step: number_text(value + step), picked(numbers), st.integers(-1, 1))
    return _mostly(nearby, spread)


def decimals(sample: Sample, clause: Clause) -> st.SearchStrategy[str]:
    """Numbers with a fraction too (``2.5``), where the parameter's schema allows them."""
    halves = st.integers(-5, 10**4).map(lambda whole: f"{whole}.5")
    return st.one_of(values_for(sample, clause), halves)


def _dates(known: tuple[Any, ...]) -> st.SearchStrategy[str]:
    spread = st.datetimes(datetime(2015, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)).map(
        lambda moment: moment.isoformat()
    )
    written = [value for value in known if isinstance(value, str)]
    if not written:
        return spread
    return _mostly(st.builds(rewritten_date, picked(written), st.integers(0, len(DATE_FORMS))), spread)


def date_formats(moment: datetime) -> list[str]:
    """One instant in every format the spec's ``DateValue`` accepts: with another offset, with fractional
    seconds, in UTC with ``Z``, without an offset (read as UTC), and its (UTC) day as a full date (which is
    midnight, another instant)."""
    return [form(moment) for form in DATE_FORMS]


DATE_FORMS: tuple[Callable[[datetime], str], ...] = (
    lambda moment: moment.astimezone(BERLIN_SUMMER).isoformat(),
    lambda moment: moment.astimezone(UTC).isoformat(timespec="microseconds"),
    lambda moment: moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    lambda moment: moment.astimezone(UTC).replace(tzinfo=None).isoformat(),
    lambda moment: moment.astimezone(UTC).date().isoformat(),
)


def rewritten_date(raw: str, form: int) -> str:
    """The same instant as written in the data, or in another accepted format (``date_formats``)."""
    if form == 0:
        return raw
    return DATE_FORMS[form - 1](parse_datetime(raw))
