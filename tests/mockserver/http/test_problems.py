"""Every error is an RFC 9457 problem document: 404, 405 with Allow, and a 500 that leaks nothing."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from customers_spec import Spec
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.http.problems import InvalidParameter, InvalidRequest, problem_body
from tests.mockserver.conftest import problem


def test_problem_body_uses_the_status_phrase_as_title() -> None:
    assert problem_body(404, "gone") == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "gone"}
    errors = [InvalidParameter("limt", "unknown", suggestion="limit"), InvalidParameter("x-API-Key", "bad", "header")]
    assert problem_body(400, "d", errors)["errors"] == [
        {"name": "limt", "in": "query", "reason": "unknown", "suggestion": "limit"},
        {"name": "x-API-Key", "in": "header", "reason": "bad"},
    ]


def test_invalid_request_detail_counts_the_parameters() -> None:
    assert InvalidRequest([InvalidParameter("a", "r")]).description == "1 query parameter is invalid."
    assert InvalidRequest([InvalidParameter("a", "r")] * 2).description == "2 query parameters are invalid."
    assert InvalidRequest([InvalidParameter("id", "r", "path")]).description == "1 path parameter is invalid."
    mixed = [InvalidParameter("id", "r", "path"), InvalidParameter("a", "r")]
    assert InvalidRequest(mixed).description == "2 parameters are invalid."


@pytest.fixture(scope="module")
def failing_app(dataset: Dataset) -> Flask:
    """An app with one extra route that fails the way a bug would (any key passes, whatever the environment)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MOCKSERVER_API_KEYS", raising=False)
        app = create_app(Config(log_requests=False), dataset=dataset)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail from /srv/app/module.py")

    return app


def check(response, spec: Spec, status: int) -> dict:
    body = problem(response, spec, status)
    assert body["type"] == "about:blank"
    return body


def test_unknown_path_is_404(failing_app: Flask, spec: Spec) -> None:
    body = check(failing_app.test_client().get("/v1/customers"), spec, 404)
    assert body["title"] == "Not Found"
    assert body["detail"] == (
        "Nothing is served at /v1/customers. This mock serves GET /v2/customers, GET /docs, GET /openapi.yaml."
    )


def test_wrong_method_is_405_with_allow(failing_app: Flask, spec: Spec) -> None:
    for method in ("post", "put", "delete", "patch"):
        response = getattr(failing_app.test_client(), method)("/v2/customers")
        body = check(response, spec, 405)
        assert body["title"] == "Method Not Allowed"
        assert body["detail"].startswith(f"{method.upper()} is not allowed on /v2/customers (allowed: ")
        assert body["detail"].endswith("; this mock serves GET /v2/customers.")
        assert {item.strip() for item in response.headers["Allow"].split(",")} >= {"GET", "HEAD", "OPTIONS"}


def test_no_error_body_is_the_web_frameworks_page(failing_app: Flask) -> None:
    for response in (failing_app.test_client().get("/nope"), failing_app.test_client().delete("/v2/customers")):
        assert response.mimetype == "application/problem+json"
        assert "If you entered the URL manually" not in response.get_data(as_text=True)
        assert "The method is not allowed for the requested URL" not in response.get_data(as_text=True)


def test_unexpected_errors_are_500_without_internals(
    failing_app: Flask, spec: Spec, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="mockserver.errors"):
        response = failing_app.test_client().get("/boom")
    body = check(response, spec, 500)
    assert body["title"] == "Internal Server Error"
    text = response.get_data(as_text=True)
    for leak in ("Traceback", "secret", ".py", "RuntimeError"):
        assert leak not in text
    assert any("Traceback" in record.getMessage() or record.exc_info for record in caplog.records)


def test_bad_request_without_errors_list(failing_app: Flask, spec: Spec) -> None:
    query = "&".join(["limit=1"] * 1001)
    body = check(failing_app.test_client().get(f"/v2/customers?{query}", headers={"x-API-Key": "k"}), spec, 400)
    assert "at most 1000 query parameters" in body["detail"]
