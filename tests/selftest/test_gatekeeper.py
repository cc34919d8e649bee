"""The test gateway: it lets through only requests with its headers, and echoes the tenant on what it passes."""

from __future__ import annotations

from typing import Any

from werkzeug.test import Client
from werkzeug.wrappers import Response

from selftest.gatekeeper import ECHO_HEADER, gatekeeper

REQUIRED = {"X-Tenant": "acme", "Authorization": "Bearer s3cret"}


def ok(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_an_api_request_without_every_header_is_refused_and_recorded() -> None:
    misses: list[str] = []
    client = Client(gatekeeper(ok, REQUIRED, misses), Response)
    answer = client.get("/v2/customers?limit=1", headers={"X-Tenant": "acme"})
    assert answer.status_code == 403
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert misses == ["/v2/customers?limit=1 without ['Authorization']"]


def test_a_request_with_the_headers_passes_and_the_tenant_is_echoed() -> None:
    misses: list[str] = []
    client = Client(gatekeeper(ok, REQUIRED, misses), Response)
    answer = client.get("/v2/customers", headers=REQUIRED)
    assert answer.status_code == 200 and answer.get_data() == b"ok"
    assert answer.headers[ECHO_HEADER] == "acme"
    assert misses == []


def test_the_docs_stay_open() -> None:
    misses: list[str] = []
    assert Client(gatekeeper(ok, REQUIRED, misses), Response).get("/docs").status_code == 200
    assert misses == []
