"""What the options' values become for a run: the secrets every output masks, and the gateway."""

from __future__ import annotations

import pytest

from contract_tests.invocation import gateway, secrets
from customers_spec import Spec
from customers_spec.errors import KitError

NO_TLS = {"client_cert": None, "client_key": None, "ca_bundle": None}


def test_every_secret_value_becomes_a_variable() -> None:
    """Reports replace every secret value by its variable."""
    values = {"api_key": "k3y-s3cret", "header": [("X-Tenant", "acme-7")], "bearer": "t0ken-9"}
    assert secrets(values) == {"k3y-s3cret": "$API_KEY", "acme-7": "$X_TENANT", "t0ken-9": "$CONTRACT_TESTS_BEARER"}
    assert secrets({"api_key": None, "header": [], "bearer": None}) == {}


def test_the_gateway_sends_the_headers_and_refuses_one_that_sets_the_key(spec: Spec) -> None:
    sent = gateway({"header": [("X-Tenant", "acme-7")], "bearer": "t0ken-9", **NO_TLS}, spec).sent()
    assert sent["X-Tenant"] == "acme-7" and sent["Authorization"] == "Bearer t0ken-9"
    with pytest.raises(KitError):
        gateway({"header": [(spec.api_key_header, "k")], "bearer": None, **NO_TLS}, spec)
