"""Requests for an operation whose path names one record (an item by id, a sub-collection's parent): the ids
the data has, ids it does not have, and ids the parameter's schema refuses.

An id is a path segment, not a space to explore: Hypothesis would only redraw the same few kinds of value.
So they are picked, deterministically by the run's seed: known ids from the data read (``Sample.records``),
an unknown id shaped like the known ones (valid against the parameter's schema, so the answer must be a 404,
not a 400), and a malformed id only when the schema makes one malformed (a pattern, a format, a length).
"""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import Iterable, Sequence
from typing import Any

from customers_spec.model import Spec
from customers_spec.schemas import schema_for_value

MALFORMED = ("not-an-id", "~", "0", "g" * 25, "%20", "-1")


def known_ids(records: Iterable[dict[str, Any]], id_field: str, count: int, seed: int | None) -> list[str]:
    """Up to ``count`` ids of ``records`` (those that have a text id), drawn by ``seed`` (the same ids every run
    without one, as a derandomized profile wants), in the records' order."""
    ids = list(dict.fromkeys(str(record[id_field]) for record in records if isinstance(record.get(id_field), str)))
    if len(ids) <= count:
        return ids
    chosen = set(random.Random(seed or 0).sample(range(len(ids)), count))  # no seed (derandomized): the same
    return [each for index, each in enumerate(ids) if index in chosen]


def unknown_ids(spec: Spec, schema: dict[str, Any], known: Sequence[str], count: int = 2) -> list[str]:
    """Ids valid against ``schema`` that none of ``known`` is: shaped like a known id (hex digits for an
    ObjectId), derived from them so a run repeats; fewer than ``count`` when the schema leaves too little."""
    validator = schema_for_value(spec, schema)
    taken = set(known)
    found: list[str] = []
    for candidate in _shaped_like(known[0] if known else "0" * 24):
        if candidate not in taken and candidate not in found and validator.is_valid(candidate):
            found.append(candidate)
            if len(found) == count:
                break
    return found


def malformed_id(spec: Spec, schema: dict[str, Any]) -> str | None:
    """A value the id parameter's schema refuses, or None when it accepts any text (nothing is malformed)."""
    validator = schema_for_value(spec, schema)
    return next((each for each in MALFORMED if not validator.is_valid(each)), None)


def _shaped_like(example: str) -> Iterable[str]:
    """Texts of the example's length and alphabet (digits, hex digits, letters), drawn from hashes."""
    alphabet = next(
        (each for each in (string.digits, "0123456789abcdef", "0123456789ABCDEF") if set(example) <= set(each)),
        string.ascii_letters + string.digits,
    )
    for attempt in range(200):
        digest = hashlib.sha256(f"{example}/{attempt}".encode()).digest() * (len(example) // 32 + 1)
        yield "".join(alphabet[byte % len(alphabet)] for byte in digest[: len(example)])
