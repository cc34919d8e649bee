"""Transports send the key only to the base URL's origin and never follow redirects."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.wrappers import Response as WsgiResponse

from contract_tests.sending.transport import WRONG_KEY, HttpTransport, KeyHeaders, Response, WsgiTransport, origin
from customers_spec.errors import Unreachable
from selftest.servers import free_port

HEADER = "x-API-Key"


def test_the_key_goes_only_to_the_base_urls_origin() -> None:
    headers = KeyHeaders("http://api.example:3000/base", HEADER, "secret")
    assert headers.for_url("http://api.example:3000/v2/customers?limit=1", "key") == {HEADER: "secret"}
    assert headers.for_url("http://API.example:3000/v2/customers", "key") == {HEADER: "secret"}
    assert headers.for_url("http://api.example:3001/v2/customers", "key") == {}
    assert headers.for_url("https://api.example:3000/v2/customers", "key") == {}
    assert headers.for_url("http://evil.example/v2/customers", "key") == {}
    assert headers.for_url("http://api.example:3000/v2/customers", "none") == {}
    assert headers.for_url("http://api.example:3000/v2/customers", "wrong") == {HEADER: WRONG_KEY}
    assert "secret" not in repr(headers)


def test_redirects_are_returned_not_followed() -> None:
    seen: list[dict[str, Any]] = []

    def redirecting(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ)
        return WsgiResponse(status=302, headers={"Location": "http://evil.example/steal"})(environ, start_response)

    response = WsgiTransport(redirecting, "secret", header=HEADER).send("http://localhost/v2/customers", "key")
    assert response.status == 302
    assert response.header("location") == "http://evil.example/steal"  # headers are case-insensitive
    assert len(seen) == 1 and seen[0]["HTTP_X_API_KEY"] == "secret"


def test_an_answer_reads_its_media_type_and_json_once() -> None:
    answer = Response("u", 200, {"Content-Type": "Application/Problem+JSON; charset=utf-8"}, b'{"status": 400}')
    assert answer.media_type == "application/problem+json" and answer.json == {"status": 400}
    assert Response("u", 200, {}, b"").media_type == ""
    assert origin("HTTPS://Api.Example:8443/v2?x=1") == ("https", "api.example:8443")


def test_a_repeated_header_reads_as_one_joined_value() -> None:
    def twice(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [("Link", '<a>; rel="next"'), ("Link", '<b>; rel="last"')])
        return [b"[]"]

    answer = WsgiTransport(twice, "k", header=HEADER).send("http://localhost/v2/customers", "none")
    assert answer.header("link") == '<a>; rel="next", <b>; rel="last"'


def test_a_server_nobody_listens_on_is_unreachable_not_an_error() -> None:
    transport = HttpTransport(f"http://127.0.0.1:{free_port()}", "k", header=HEADER, timeout=2)
    with pytest.raises(Unreachable, match=r"cannot connect to http://127\.0\.0\.1:\d+: connection refused"):
        transport.send(transport.base_url + "/v2/customers", "key")
    transport.close()


def test_a_gateways_headers_go_with_every_credentials_to_the_base_origin_only() -> None:
    gateway = {"X-Tenant": "acme", "Authorization": "Bearer t"}
    headers = KeyHeaders("http://api.example:3000", HEADER, "secret", gateway)
    assert headers.for_url("http://api.example:3000/v2/customers", "key") == {**gateway, HEADER: "secret"}
    assert headers.for_url("http://api.example:3000/v2/customers", "none") == gateway  # auth checks vary the key only
    assert headers.for_url("http://api.example:3000/v2/customers", "wrong") == {**gateway, HEADER: WRONG_KEY}
    assert headers.for_url("http://evil.example/v2/customers", "key") == {}
    assert "acme" not in repr(headers)
