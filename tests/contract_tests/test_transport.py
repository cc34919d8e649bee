"""Transports send the key only to the base URL's origin and never follow redirects."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response as WsgiResponse

from contract_tests.sending.transport import WRONG_KEY, KeyHeaders, WsgiTransport

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
