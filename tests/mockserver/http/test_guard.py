"""What every operation does first: the delay, a forced or documented answer, then the key where it is asked."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response

from mockserver.config import Config
from mockserver.http.guard import Guard, needs_key
from mockserver.http.problems import register_error_handlers


def test_an_operation_needs_the_key_unless_its_security_opens_it() -> None:
    document: dict[str, Any] = {"security": [{"ApiKey": []}]}
    assert needs_key(document, {}, "x-API-Key")
    assert not needs_key(document, {"security": []}, "x-API-Key")
    assert not needs_key(document, {"security": [{}]}, "x-API-Key")  # the empty requirement: anonymous
    assert not needs_key(document, {}, "")  # no API key scheme at all
    assert needs_key({}, {"security": [{"ApiKey": []}]}, "x-API-Key")


def _app(guard: Guard) -> Flask:
    app = Flask(__name__)
    register_error_handlers(app, ["GET /x"])

    @app.get("/x")
    def view() -> Response:
        applied, answered = guard.enter()
        return answered if answered is not None else Response(",".join(applied) or "served")

    return app


def test_prefer_code_answers_documented_then_forced_before_the_key_is_asked() -> None:
    operation = {"security": [{"ApiKey": []}], "responses": {"200": {"description": "ok"}}}
    answers = {201: lambda applied: Response("made", status=201, headers={"Preference-Applied": ",".join(applied)})}
    client = _app(Guard({}, operation, "k", Config(log_requests=False), answers=answers)).test_client()
    assert client.get("/x").status_code == 401
    assert client.get("/x", headers={"k": "v"}).data == b"served"
    made = client.get("/x", headers={"Prefer": "code=201"})
    assert (made.status_code, made.headers["Preference-Applied"]) == (201, "code=201")
    forced = client.get("/x", headers={"Prefer": "code=503, delay=1"})
    assert (forced.status_code, forced.headers["Preference-Applied"]) == (503, "delay=1, code=503")
    assert client.get("/x", headers={"k": "v", "Prefer": "delay=1"}).data == b"delay=1"
