from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from customers_spec.values import get_path, parse_datetime, parse_integer, record_value, without


def test_without_drops_the_dotted_paths_from_a_copy() -> None:
    record: dict[str, Any] = {"_id": "x", "status": {"createdAt": "t", "status": 1}, "contact": None}
    assert without(record, ("_id", "status.createdAt", "contact.email", "nothing.here")) == {
        "status": {"status": 1},
        "contact": None,
    }
    assert record["_id"] == "x" and record["status"]["createdAt"] == "t", "the record itself is unchanged"


def test_paths_treat_absent_and_null_alike() -> None:
    record = {"address": {"city": "Köln", "co": None}, "contact": None}
    assert get_path(record, "address.city") == "Köln"
    assert get_path(record, "address.co") is None
    assert get_path(record, "address.state") is None
    assert get_path(record, "contact.email") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-15T10:30:00Z", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15t10:30:00z", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        (
            "2024-01-15T12:30:00.5+02:00",
            datetime(2024, 1, 15, 12, 30, 0, 500000, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2024-01-15", datetime(2024, 1, 15, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_dates_parse_as_instants(raw: str, expected: datetime) -> None:
    assert parse_datetime(raw) == expected


def test_record_dates_compare_as_instants() -> None:
    assert record_value("date", "2024-01-15T12:00:00+02:00") == record_value("date", "2024-01-15T10:00:00Z")
    assert record_value("date", None) is None
    assert record_value("string", "2024") == "2024"


@pytest.mark.parametrize(("text", "expected"), [("42", 42), (" 7 ", 7), ("-3", -3), ("0012", 12)])
def test_integers_in_ascii_digits_parse(text: str, expected: int) -> None:
    assert parse_integer(text) == expected


@pytest.mark.parametrize("text", ["", "4.0", "1e3", "\u00b2", "\u0663", "12a"])
def test_other_digits_are_no_integer(text: str) -> None:
    """'²' and Arabic-Indic '٣' pass str.isdigit() but are no X-Total-Count a client can read (int('²') raises)."""
    assert parse_integer(text) is None
