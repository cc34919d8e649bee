"""A failure's request and answer as reports show them: the key as ``$API_KEY``, the body pretty and trimmed."""

from __future__ import annotations

import orjson

from contract_tests.reporting.exchange import (
    BODY_CHARS,
    SHOWN_ITEMS,
    Exchange,
    exchange_of,
    failure_exchange,
    trimmed_body,
)
from contract_tests.sending.transport import WRONG_KEY, Response
from tests.contract_tests.reporting.conftest import one_failure


def test_an_array_body_shows_its_first_items_and_counts_the_rest() -> None:
    text = trimmed_body(orjson.dumps([{"n": index} for index in range(SHOWN_ITEMS + 4)]))
    assert text.startswith('[\n  {\n    "n": 0\n  }') and text.endswith("\n… and 4 more items")
    assert trimmed_body(b"not json \xff") == "not json \ufffd"
    long = trimmed_body(orjson.dumps("x" * (2 * BODY_CHARS)))
    assert len(long) == BODY_CHARS + len("\n… (trimmed)") and long.endswith("… (trimmed)")


def test_the_request_shows_the_key_as_a_variable_and_the_answer_loses_it() -> None:
    answer = Response("http://h/v2/customers", 200, {"X-Echo": "s3cret-key"}, b'{"key": "s3cret-key"}')
    sent = exchange_of(answer, "key", "x-API-Key", "s3cret-key")
    assert sent == Exchange(
        "GET",
        "http://h/v2/customers",
        {"x-API-Key": "$API_KEY"},
        200,
        {"X-Echo": "$API_KEY"},
        '{\n  "key": "$API_KEY"\n}',
    )
    assert exchange_of(answer, "wrong", "x-API-Key", None).request_headers == {"x-API-Key": WRONG_KEY}
    assert exchange_of(answer, "none", "x-API-Key", None).request_headers == {}


def test_a_failure_without_an_answer_has_no_exchange() -> None:
    failure = one_failure().failures[0]
    assert failure_exchange(failure, "x-API-Key", None) is None
    failure.violation.response = Response("http://h", 500, {}, b"")
    assert failure_exchange(failure, "x-API-Key", None) == {
        "method": "GET",
        "url": "http://h",
        "request_headers": {"x-API-Key": "$API_KEY"},
        "status": 500,
        "response_headers": {},
        "body": "",
    }
