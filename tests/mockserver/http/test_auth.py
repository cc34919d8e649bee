"""The API key check: the spec's header must be present, and one of the configured keys when any are set."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from werkzeug.exceptions import Unauthorized

from customers_spec import Spec
from mockserver.http.auth import api_key_checker
from tests.mockserver.conftest import PATH, problem


def test_missing_or_empty_key_is_401(client: FlaskClient, spec: Spec) -> None:
    for headers in ({}, {"x-API-Key": ""}, {"x-API-Key": "  "}):
        body = problem(client.get(PATH, headers=headers), spec, 401)
        assert body["detail"] == "The x-API-Key header is missing."
    assert client.get(PATH, headers={"X-API-KEY": "anything"}).status_code == 200


def test_configured_keys_only(make_client, spec: Spec) -> None:
    client = make_client(api_keys=frozenset({"alpha", "beta"}))
    assert client.get(PATH, headers={"x-API-Key": "beta"}).status_code == 200
    body = problem(client.get(PATH, headers={"x-API-Key": "gamma"}), spec, 401)
    assert "not accepted" in body["detail"]
    problem(client.get(PATH, headers={"x-API-Key": "bëta"}), spec, 401)


def test_without_configured_keys_any_key_passes_and_a_refusal_names_the_header() -> None:
    check = api_key_checker("x-API-Key", [])
    check("anything")
    with pytest.raises(Unauthorized) as caught:
        check(" \t")
    assert dict(caught.value.get_headers())["WWW-Authenticate"] == "Apikey header=x-API-Key"


def test_a_key_is_compared_as_the_bytes_the_client_sent() -> None:
    check = api_key_checker("x-API-Key", ["alpha", "bëta"])
    check("alpha")
    check("bëta".encode().decode("latin-1"))  # WSGI hands the UTF-8 bytes over decoded as Latin-1
    for wrong in ("bëta", "ALPHA", "alpha ", "alph"):  # "bëta" as text is other bytes in Latin-1
        with pytest.raises(Unauthorized, match="not accepted"):
            check(wrong)
