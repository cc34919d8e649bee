"""Fast seeded draws and the formats of German identifiers."""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

from mockserver.data.draw import Draw, ObjectIds, leitweg_id, slug, timestamp, vat_number
from tests.mockserver.data.check_digits import leitweg_check_ok, vat_check_ok


def test_the_check_digit_rules_accept_published_examples_only() -> None:
    assert leitweg_check_ok("04011000-1234512345-06")  # the XRechnung documentation's example
    assert not leitweg_check_ok("04011000-1234512345-12")
    assert vat_check_ok("DE136695976")
    assert not vat_check_ok("DE136695977")


def test_drawn_vat_numbers_and_leitweg_ids_carry_valid_check_digits() -> None:
    draw = Draw(3)
    assert all(vat_check_ok(vat_number(draw)) and leitweg_check_ok(leitweg_id(draw)) for _ in range(200))


def test_slugs_are_transliterated_ascii() -> None:
    assert slug("Müller & Söhne Gebäudeservice") == "mueller-soehne-gebaeudeservice"
    assert slug("Glas- und Gebäudereinigung Weiß") == "glas-und-gebaeudereinigung-weiss"


def test_draws_are_the_seeds_and_stay_within_their_bounds() -> None:
    first, second = Draw(9), Draw(9)
    assert [first.between(1, 6) for _ in range(50)] == [second.between(1, 6) for _ in range(50)]
    draw = Draw(1)
    assert {draw.between(1, 3) for _ in range(300)} == {1, 2, 3}
    assert {draw.weighted((1, 4)) for _ in range(300)} == {0, 1}
    assert {draw.pick("ab") for _ in range(100)} == {"a", "b"}
    record: dict[str, Any] = {}
    states: Counter[str] = Counter()
    for _ in range(300):
        record.clear()
        draw.optional(record, "key", "value", 0.5, 0.3)
        states["absent" if "key" not in record else "null" if record["key"] is None else "value"] += 1
    assert set(states) == {"value", "null", "absent"}


def test_object_ids_are_unique_and_begin_with_their_seconds() -> None:
    first = ObjectIds(random.Random(1))
    ten = [first.next(0x5A000000) for _ in range(10)]
    assert len(set(ten)) == 10 and all(re.fullmatch(r"5a000000[0-9a-f]{16}", value) for value in ten)
    rest = ObjectIds(random.Random(1)).after(10)  # another chunk's share of the counter
    assert rest.next(0x5A000000) not in ten and rest.drawn == 11


def test_timestamps_are_utc_with_optional_milliseconds() -> None:
    assert timestamp(0) == "1970-01-01T00:00:00Z"
    assert timestamp(86400 + 61, 5) == "1970-01-02T00:01:01.005Z"
