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


def client_request(environ: Mapping[str, Any], key_header: str, gateway: Gateway) -> ClientRequest:
    """What the reports may say about the request in ``environ`` (a WSGI environ)."""
    key_environ = _environ_key(key_header)
    api_key = environ.get(key_environ)
    added = {name.lower() for name in gateway.sent()}
    shown: list[tuple[str, str]] = []
    secrets = dict(gateway.secrets())
    for key, value in environ.items():
        if not key.startswith("HTTP_") or key == key_environ:
            continue
        name = key[5:].replace("_", "-").title()
        lowered = name.lower()
        if lowered in NOT_SHOWN or lowered in added or lowered.startswith(NOT_SHOWN_PREFIXES):
            continue
        if lowered == "accept" and value.strip() == "*/*":  # what curl sends anyway
            continue
        if CREDENTIAL.search(name):
            secrets.update(secrets_of(name, value))
            value = variable(name)
        shown.append((name, value))
    shown += gateway.shown()
    if api_key:
        secrets[api_key] = KEY_VARIABLE
    return ClientRequest(api_key, tuple(shown), secrets)


def _environ_key(name: str) -> str:
    return "HTTP_" + name.upper().replace("-", "_")
