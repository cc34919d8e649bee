"""The client's request as reports show it: the headers that change the answer, credentials as variables."""

from __future__ import annotations

from contract_tests.proxy.client import ClientReader
from contract_tests.sending.gateway import Gateway

ENVIRON = {
    "HTTP_HOST": "proxy:3000",
    "HTTP_X_API_KEY": "k3y-s3cret",
    "HTTP_PREFER": "code=500",
    "HTTP_ACCEPT": "application/json",
    "HTTP_USER_AGENT": "Mozilla/5.0",
    "HTTP_SEC_FETCH_MODE": "cors",
    "HTTP_ACCEPT_ENCODING": "gzip",
    "HTTP_COOKIE": "session=c00kie-value",
    "HTTP_X_SESSION_TOKEN": "t0ken-value",
    "HTTP_X_TENANT": "client-tenant",
    "QUERY_STRING": "limit=1",
}


def test_the_headers_that_change_the_answer_are_shown_credentials_as_variables() -> None:
    client = ClientReader("x-API-Key", Gateway()).read(ENVIRON)
    assert client.api_key == "k3y-s3cret"
    assert client.shown == (
        ("Prefer", "code=500"),
        ("Accept", "application/json"),
        ("Cookie", "$COOKIE"),
        ("X-Session-Token", "$X_SESSION_TOKEN"),
        ("X-Tenant", "client-tenant"),
    )
    assert client.secrets == {
        "k3y-s3cret": "$API_KEY",
        "session=c00kie-value": "$COOKIE",
        "t0ken-value": "$X_SESSION_TOKEN",
    }
    assert "k3y-s3cret" not in repr(client)


def test_the_proxys_gateway_headers_replace_the_clients_and_stay_secret() -> None:
    gateway = Gateway((("X-Tenant", "proxy-tenant"),), bearer="pr0xy-token")
    client = ClientReader("x-API-Key", gateway).read({**ENVIRON, "HTTP_AUTHORIZATION": "Bearer client-token"})
    assert ("X-Tenant", "$X_TENANT") in client.shown and ("X-Tenant", "client-tenant") not in client.shown
    assert ("Authorization", "Bearer $CONTRACT_TESTS_BEARER") in client.shown
    assert client.secrets["proxy-tenant"] == "$X_TENANT" and client.secrets["pr0xy-token"] == "$CONTRACT_TESTS_BEARER"
    assert ClientReader("x-API-Key", Gateway()).read({}).api_key is None
