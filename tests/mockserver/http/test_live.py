"""The stores a request answers from: the start's without writes in the spec, the tenant's with them; a tenant
name too long is a 400 naming the header."""

from __future__ import annotations

from flask import Flask

from mockserver.http.live import MAX_TENANT_LENGTH, TENANT_HEADER, Live, tenant
from mockserver.http.problems import InvalidRequest


def test_without_a_state_every_request_answers_from_the_start_stores() -> None:
    base = {"customers _id": object()}
    live = Live(None, base, {"customers": "customers _id"})  # type: ignore[arg-type]
    assert live.stores() is base
    assert live.of_collection(base, "customers") is base["customers _id"]  # type: ignore[arg-type]
    assert live.of_collection(base, "sites") is None  # type: ignore[arg-type]


def test_the_tenant_is_the_header_and_a_long_one_is_refused() -> None:
    app = Flask(__name__)
    with app.test_request_context(headers={TENANT_HEADER: "worker-3"}):
        assert tenant() == "worker-3"
    with app.test_request_context():
        assert tenant() == ""
    with app.test_request_context(headers={TENANT_HEADER: "x" * (MAX_TENANT_LENGTH + 1)}):
        try:
            tenant()
        except InvalidRequest as exc:
            assert exc.errors[0].name == TENANT_HEADER and exc.errors[0].location == "header"
        else:
            raise AssertionError("a tenant name too long was accepted")
