"""curl commands that reproduce a request: the key read from ``$API_KEY``, every URL single-quoted."""

from __future__ import annotations

from contract_tests.reporting.curl import curl
from contract_tests.sending.transport import WRONG_KEY
from tests.contract_tests.reporting.conftest import URL


def test_curl_reads_the_key_from_the_environment() -> None:
    assert curl(URL, "key", "x-API-Key") == (
        "curl -sS -i 'http://127.0.0.1:3000/v2/customers?name=O'\"'\"'Brien&sort=name:1' -H \"x-API-Key: $API_KEY\""
    )
    assert curl("http://h/v2/customers", "none", "x-API-Key") == "curl -sS -i 'http://h/v2/customers'"


def test_a_wrong_key_is_written_out_as_the_one_sent() -> None:
    assert curl("http://h/v2/customers", "wrong", "x-API-Key") == (
        f"curl -sS -i 'http://h/v2/customers' -H 'x-API-Key: {WRONG_KEY}'"
    )


def test_other_headers_follow_the_key_variables_left_to_the_shell() -> None:
    shown = (("X-Tenant", "$X_TENANT"), ("Authorization", "Bearer $CONTRACT_TESTS_BEARER"), ("Prefer", "code=500"))
    assert curl("http://h/v2/customers", "key", "x-API-Key", shown) == (
        'curl -sS -i \'http://h/v2/customers\' -H "x-API-Key: $API_KEY" -H "X-Tenant: $X_TENANT" '
        "-H \"Authorization: Bearer $CONTRACT_TESTS_BEARER\" -H 'Prefer: code=500'"
    )
    assert curl("http://h/v2/customers", "none", "x-API-Key", (("X-Note", "it's $5"),)) == (
        "curl -sS -i 'http://h/v2/customers' -H 'X-Note: it'\"'\"'s $5'"
    )
