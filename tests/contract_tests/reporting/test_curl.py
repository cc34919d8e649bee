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
