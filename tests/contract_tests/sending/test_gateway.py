"""A gateway's headers: parsed from ``Name: value``, sent as given, shown and redacted as shell variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.reporting.redaction import redact
from contract_tests.sending.gateway import Gateway, gateway_of, parse_header, variable
from customers_spec.errors import KitError

KEY_HEADER = "x-API-Key"


def test_a_header_is_parsed_from_name_colon_value() -> None:
    assert parse_header("X-Tenant: acme") == ("X-Tenant", "acme")
    assert parse_header("Authorization:Bearer a:b") == ("Authorization", "Bearer a:b")
    assert parse_header("X-Empty:") == ("X-Empty", "")


@pytest.mark.parametrize(
    "text", ["s3cr3t no colon", ": s3cr3t", "Bad Name: s3cr3t", "X-A: s3cr3t\r\nX-B: two", "X-A: s3cr3t-ü"]
)
def test_a_malformed_header_is_refused_without_echoing_its_value(text: str) -> None:
    with pytest.raises(ValueError, match=r"Name: value|one line|printable ASCII") as refused:
        parse_header(text)
    assert "s3cr3t" not in str(refused.value)


def test_values_are_shown_as_shell_variables_and_redacted_as_such() -> None:
    gateway = Gateway((("X-Tenant", "tenant-secret"), ("Authorization", "Basic dXNlcjpw")), bearer=None)
    assert gateway.sent() == {"X-Tenant": "tenant-secret", "Authorization": "Basic dXNlcjpw"}
    assert gateway.shown() == (("X-Tenant", "$X_TENANT"), ("Authorization", "$AUTHORIZATION"))
    echoed = "tenant tenant-secret, credentials dXNlcjpw"
    assert redact(echoed, gateway.secrets()) == "tenant $X_TENANT, credentials $AUTHORIZATION"
    assert "tenant-secret" not in repr(gateway)
    spaced = Gateway((("X-Team", "blue team"),)).secrets()
    assert spaced == {"blue team": "$X_TEAM"}, "only a credential's part after its scheme is a secret alone"


def test_a_bearer_token_is_an_authorization_header_read_from_its_variable() -> None:
    gateway = Gateway(bearer="tok-123456")
    assert gateway.sent() == {"Authorization": "Bearer tok-123456"}
    assert gateway.shown() == (("Authorization", "Bearer $CONTRACT_TESTS_BEARER"),)
    assert redact("got Bearer tok-123456", gateway.secrets()) == "got Bearer $CONTRACT_TESTS_BEARER"
    assert "tok-123456" not in repr(gateway)
    assert variable("x-request-id") == "$X_REQUEST_ID"


def test_combinations_that_cannot_be_meant_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KitError, match="--api-key"):
        gateway_of(["X-API-KEY: k"], key_header=KEY_HEADER)
    with pytest.raises(KitError, match="not both"):
        gateway_of(["Authorization: Basic x"], key_header=KEY_HEADER, bearer="t")
    with pytest.raises(KitError, match="more than once"):
        gateway_of(["X-Tenant: a", "x-tenant: b"], key_header=KEY_HEADER)
    with pytest.raises(KitError, match="--client-cert"):
        gateway_of(key_header=KEY_HEADER, client_key=tmp_path / "client.key")


def test_a_client_certificate_is_given_as_requests_takes_it(tmp_path: Path) -> None:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    assert gateway_of(key_header=KEY_HEADER, client_cert=cert).cert == str(cert)
    assert gateway_of(key_header=KEY_HEADER, client_cert=cert, client_key=key).cert == (str(cert), str(key))
    assert Gateway().cert is None
