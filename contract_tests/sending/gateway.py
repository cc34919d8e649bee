"""What a gateway in front of the API asks of each request besides the key: headers (a tenant, a bearer token),
a client certificate, a private CA.

The values are secrets: they are sent to the base URL's origin only, and a report shows each as a shell
variable named after its header (``X-Tenant: $X_TENANT``; a bearer token as ``$CONTRACT_TESTS_BEARER``), so a
reproduction reads them from the environment as it reads ``$API_KEY``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from customers_spec.errors import KitError

BEARER_VARIABLE = "CONTRACT_TESTS_BEARER"
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token
CREDENTIAL = re.compile(r"auth|key|token|secret|session|cookie|password|signature", re.IGNORECASE)  # in a name
Pairs = tuple[tuple[str, str], ...]


def parse_header(text: str) -> tuple[str, str]:
    """``Name: value`` as a (name, value) pair; raises ``ValueError`` saying what is expected."""
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not HEADER_NAME.fullmatch(name):
        raise ValueError("expected 'Name: value', e.g. 'X-Tenant: acme'")  # the text itself may be a secret
    if any(char in value for char in "\r\n\0"):
        raise ValueError(f"the value of {name} must be one line")
    if any((ord(char) < 0x20 and char != "\t") or ord(char) >= 0x7F for char in value):
        raise ValueError(f"the value of {name} must be printable ASCII (encode it as the server expects)")
    return name, value


def secrets_of(name: str, value: str) -> dict[str, str]:
    """A header's secret values with their variable: the value, and a credential's part after its scheme
    (``Basic dXNlcjpw``: also ``dXNlcjpw``), as a server may echo either."""
    found = {value: variable(name)}
    if CREDENTIAL.search(name) and " " in value.strip():
        found[value.strip().split(" ", 1)[1]] = variable(name)
    return found


def variable(name: str) -> str:
    """The shell variable a report writes for a header's value: ``X-Tenant`` -> ``$X_TENANT``."""
    return "$" + re.sub(r"[^A-Z0-9]", "_", name.upper())


@dataclass(frozen=True)
class Gateway:
    """The extra headers (bearer included), client certificate and CA bundle of every request; repr hides values."""

    headers: Pairs = field(default=(), repr=False)
    bearer: str | None = field(default=None, repr=False)
    client_cert: Path | None = None
    client_key: Path | None = None
    ca_bundle: Path | None = None

    def sent(self) -> dict[str, str]:
        """The headers as sent: a bearer token as ``Authorization``."""
        sent = dict(self.headers)
        if self.bearer:
            sent["Authorization"] = f"Bearer {self.bearer}"
        return sent

    def shown(self) -> Pairs:
        """The headers as reports show them: each value a shell variable."""
        shown = [(name, variable(name)) for name, _ in self.headers]
        if self.bearer:
            shown.append(("Authorization", f"Bearer ${BEARER_VARIABLE}"))
        return tuple(shown)

    def secrets(self) -> dict[str, str]:
        """Each secret value with what reports write instead (for ``reporting.redaction.redact``)."""
        found = {secret: shown for name, value in self.headers for secret, shown in secrets_of(name, value).items()}
        if self.bearer:
            found[self.bearer] = f"${BEARER_VARIABLE}"
        return found

    @property
    def cert(self) -> str | tuple[str, str] | None:
        """The client certificate as requests takes it (a combined PEM, or certificate and key)."""
        if self.client_cert is None:
            return None
        return str(self.client_cert) if self.client_key is None else (str(self.client_cert), str(self.client_key))


def gateway_of(
    headers: Iterable[str | tuple[str, str]] = (),
    *,
    key_header: str,
    bearer: str | None = None,
    client_cert: Path | None = None,
    client_key: Path | None = None,
    ca_bundle: Path | None = None,
) -> Gateway:
    """The gateway the options describe; raises ``KitError`` for a combination that cannot be meant."""
    pairs = tuple(parse_header(each) if isinstance(each, str) else each for each in headers)
    _refuse_clashes(pairs, key_header, bearer)
    if client_key is not None and client_cert is None:
        raise KitError("--client-key needs --client-cert (the certificate the key belongs to)")
    return Gateway(pairs, bearer or None, client_cert, client_key, ca_bundle)


def _refuse_clashes(pairs: Sequence[tuple[str, str]], key_header: str, bearer: str | None) -> None:
    names = [name.lower() for name, _ in pairs]
    if key_header.lower() in names:
        raise KitError(
            f"-H cannot set the API key header {key_header}: the auth checks judge it "
            "(give the key with --api-key; behind the proxy, the client sends its own)"
        )
    if bearer and "authorization" in names:
        raise KitError("give either --bearer or -H 'Authorization: …', not both")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise KitError(f"-H gives {', '.join(repeated)} more than once")
