"""A base URL that is not the API's: its list answers 404, or a success that is not JSON; the likely fix."""

from __future__ import annotations

import pytest

from contract_tests.sending.base_url import wrong_base_url
from contract_tests.sending.transport import Response

PATH = "/v2/customers"


def answer(status: int, body: bytes = b"[]", media_type: str = "application/json") -> Response:
    return Response("http://h/x/v2/customers", status, {"Content-Type": media_type}, body)


@pytest.mark.parametrize(
    ("base_url", "fix"),
    [
        ("http://h/v2/customers", "the base URL should not include /v2/customers (try --base-url http://h)"),
        ("http://h/api/v2/customers/", "should not include /v2/customers (try --base-url http://h/api)"),
        ("http://h/v2", "the base URL should not include /v2 (try --base-url http://h)"),
        ("http://h/other", "is http://h/other where the API is served? The kit adds /v2/customers to it"),
    ],
)
def test_a_list_not_found_names_the_likely_fix(base_url: str, fix: str) -> None:
    message = wrong_base_url(base_url, PATH, answer(404, b"<h1>Not Found</h1>", "text/html"))
    assert message is not None and message.startswith("GET http://h/x/v2/customers answered 404: ") and fix in message


def test_a_success_that_is_not_json_is_not_this_api() -> None:
    message = wrong_base_url("http://h", PATH, answer(200, b"<!DOCTYPE html>", "text/html; charset=utf-8"))
    assert message is not None and "answered 200 with text/html, not JSON: --base-url http://h does not" in message


@pytest.mark.parametrize(
    "response",
    [answer(200), answer(200, b"[]", "text/plain"), answer(500, b"<h1>boom</h1>", "text/html"), answer(400, b"{}")],
    ids=["a page", "JSON with another type (content_type judges it)", "a server error", "a refusal"],
)
def test_answers_of_a_broken_api_are_left_to_the_checks(response: Response) -> None:
    assert wrong_base_url("http://h", PATH, response) is None
