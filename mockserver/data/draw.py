"""Fast seeded random draws and the formats of German identifiers, for the data generator.

``Draw`` replaces ``random.Random``'s pure-Python helpers (``choice``, ``randint``, ``choices``), which made up
most of the generation time, with arithmetic on ``random()``; the output is still fully determined by the seed.
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from bisect import bisect
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": "-", " ": "-"})
_NOT_SLUG = re.compile(r"[^a-z0-9-]+|-{2,}")


class ObjectIds:
    """MongoDB-like ids: 4 bytes of seconds, then a per-dataset 5-byte tag plus a counter, so all are unique."""

    def __init__(self, rng: random.Random) -> None:
        self._base = rng.getrandbits(40) << 24
        self._drawn = 0

    @property
    def drawn(self) -> int:
        return self._drawn

    def after(self, used: int) -> ObjectIds:
        """The ids of this dataset that follow the first ``used`` (another chunk's share of the counter)."""
        ids = ObjectIds.__new__(ObjectIds)
        ids._base = self._base - self._drawn + used
        ids._drawn = used
        return ids

    def next(self, seconds: int) -> str:
        self._base += 1
        self._drawn += 1
        return f"{seconds:08x}{self._base:016x}"


def slug(text: str) -> str:
    """``Glanzwerk Reinigung`` -> ``glanzwerk-reinigung``: umlauts transliterated, other accents dropped."""
    ascii_text = unicodedata.normalize("NFKD", text.casefold().translate(_UMLAUTS)).encode("ascii", "ignore")
    return _NOT_SLUG.sub("-", ascii_text.decode()).strip("-")


def timestamp(seconds: int, millis: int | None = None) -> str:
    """RFC 3339 UTC with ``Z``, with milliseconds when given (MongoDB dates carry them)."""
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{text}.{millis:03d}Z" if millis is not None else f"{text}Z"


def vat_number(draw: Draw) -> str:
    """A German USt-IdNr: ``DE``, 8 digits and the ISO 7064 MOD 11,10 check digit."""
    digits = str(draw.between(10_000_000, 99_999_999))
    product = 10
    for digit in digits:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return f"DE{digits}{(11 - product) % 10}"


def leitweg_id(draw: Draw) -> str:
    """A Leitweg-ID (XRechnung buyer reference): coarse and fine address, ISO 7064 MOD 97-10 check digits."""
    coarse = draw.pick(("05", "09162", "04011000", "053150000000", "11000000"))
    fine = str(draw.between(10**4, 10**10 - 1))
    return f"{coarse}-{fine}-{98 - int(coarse + fine + '00') % 97:02d}"


class Draw:
    """Random primitives on one ``random.Random``, several times faster than its pure-Python helpers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def pick(self, pool: Sequence[T]) -> T:
        return pool[int(self.random() * len(pool))]

    def between(self, low: int, high: int) -> int:
        """An integer in ``low..high``, both included."""
        return low + int(self.random() * (high - low + 1))

    def weighted(self, cumulative: Sequence[int]) -> int:
        """An index drawn by weight, given the running totals of the weights."""
        return bisect(cumulative, self.random() * cumulative[-1])

    def optional(self, record: dict[str, Any], key: str, value: Any, present: float, null: float) -> None:
        """Set ``key`` to ``value`` (probability ``present``), to null (``null``), or leave it absent."""
        roll = self.random()
        if roll < present:
            record[key] = value
        elif roll < present + null:
            record[key] = None
