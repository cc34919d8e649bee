"""CORS: any origin by default or only the configured ones, preflights answered before any key check."""

from __future__ import annotations

from flask.testing import FlaskClient

from mockserver.http.cors import Cors
from tests.mockserver.conftest import AUTH, PATH


def test_cors_any_origin_by_default(client: FlaskClient) -> None:
    response = client.get(PATH, headers={**AUTH, "Origin": "http://localhost:5173"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {name.strip() for name in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Total-Count", "Link"} <= exposed
    assert client.get(PATH).headers["Access-Control-Allow-Origin"] == "*"  # errors are readable too


def test_preflight_needs_no_key(client: FlaskClient) -> None:
    response = client.options(
        PATH,
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Methods"] == "GET"
    allowed = {name.strip().lower() for name in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"x-api-key", "prefer"} <= allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "GET" in response.headers["Allow"]
    assert client.options("/nowhere").status_code == 404


def test_cors_restricted_to_configured_origins(make_client) -> None:
    client = make_client(cors_origins=frozenset({"http://app.local"}))
    allowed = client.get(PATH, headers={**AUTH, "Origin": "http://app.local"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://app.local"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.get(PATH, headers={**AUTH, "Origin": "http://evil.local"})
    assert refused.status_code == 200
    assert "Access-Control-Allow-Origin" not in refused.headers
    preflight = client.options(PATH, headers={"Origin": "http://evil.local", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Methods" not in preflight.headers


def cors(origins: set[str] | None) -> Cors:
    return Cors(origins, methods=["GET"], request_headers=["x-API-Key", "Prefer"], exposed_headers=["Link"])


def test_the_allowed_origin_is_any_or_the_one_that_asked() -> None:
    assert cors(None).allowed_origin(None) == "*"
    assert cors(None).allowed_origin("http://evil.local") == "*"
    assert cors({"http://app.local"}).allowed_origin("http://app.local") == "http://app.local"
    assert cors({"http://app.local"}).allowed_origin("http://evil.local") is None
    assert cors({"http://app.local"}).allowed_origin(None) is None


def test_a_preflight_is_a_204_without_content_type_listing_what_may_be_sent() -> None:
    answer = cors({"http://app.local"}).preflight("http://app.local", "GET, HEAD, OPTIONS")
    assert answer.status_code == 204
    assert "Content-Type" not in answer.headers
    assert answer.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert answer.headers["Access-Control-Allow-Headers"] == "x-API-Key, Prefer"
    refused = cors({"http://app.local"}).preflight("http://evil.local", "GET")
    assert refused.status_code == 204 and "Access-Control-Allow-Headers" not in refused.headers
