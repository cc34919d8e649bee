"""The client's request as the proxy's reports show it: the headers a curl needs to get the same answer
(``Prefer: code=500``), each credential a shell variable, and every secret it carried, for redaction.

Left out: what only one hop, the browser or the transport cares about (Host, Content-Length, Accept-Encoding,
User-Agent, Referer, ``Sec-*``, caching, curl's own ``Accept: */*``). A header that looks like a credential
(its name says auth, key, token, secret, session, cookie, password or signature) is shown as ``$NAME``; the
API key header is the curl's ``$API_KEY``; a header the proxy itself adds for a gateway (``-H``, ``--bearer``)
replaces the client's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tests.reporting.redaction import KEY_VARIABLE
from contract_tests.sending.gateway import CREDENTIAL, Gateway, secrets_of, variable

NOT_SHOWN = frozenset(
    {"host", "content-length", "accept-encoding", "user-agent", "referer", "accept-language", "cache-control"}
    | {"pragma", "dnt", "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"}
    | {"proxy-connection", "proxy-authorization", "forwarded", "via"}
)
NOT_SHOWN_PREFIXES = ("sec-", "x-forwarded-", "access-control-request-")


@dataclass(frozen=True)
class ClientRequest:
    """The client's key (None: it sent none), its other headers as shown, and each secret with its placeholder."""

    api_key: str | None = field(default=None, repr=False)
    shown: tuple[tuple[str, str], ...] = ()
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)


class ClientReader:
    """Reads what the reports may say about a request from its WSGI environ; the gateway's part is read once."""

    def __init__(self, key_header: str, gateway: Gateway) -> None:
        self._key_environ = _environ_key(key_header)
        self._added = frozenset(name.lower() for name in gateway.sent())
        self._gateway_shown = gateway.shown()
        self._gateway_secrets = gateway.secrets()

    def read(self, environ: Mapping[str, Any]) -> ClientRequest:
        api_key = environ.get(self._key_environ)
        shown: list[tuple[str, str]] = []
        secrets = dict(self._gateway_secrets)
        for key, value in environ.items():
            if not key.startswith("HTTP_") or key == self._key_environ:
                continue
            name = key[5:].replace("_", "-").title()
            if not _shown(name.lower(), value, self._added):
                continue
            if CREDENTIAL.search(name):
                secrets.update(secrets_of(name, value))
                value = variable(name)
            shown.append((name, value))
        if api_key:
            secrets[api_key] = KEY_VARIABLE
        return ClientRequest(api_key, (*shown, *self._gateway_shown), secrets)


def _shown(lowered: str, value: str, added: frozenset[str]) -> bool:
    """Whether a header of the client changes the answer (and the proxy does not replace it)."""
    if lowered in NOT_SHOWN or lowered in added or lowered.startswith(NOT_SHOWN_PREFIXES):
        return False
    return not (lowered == "accept" and value.strip() == "*/*")  # what curl sends anyway


def _environ_key(name: str) -> str:
    return "HTTP_" + name.upper().replace("-", "_")
