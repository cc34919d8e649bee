"""The API key check: the spec's header must be present, and one of the configured keys when any are set."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable

from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized


def api_key_checker(header: str, keys: Iterable[str]) -> Callable[[str | None], None]:
    """A function raising 401 (with the ``ApiKey`` challenge) unless the header's value is acceptable."""
    accepted = tuple(key.encode("utf-8") for key in keys)
    challenge = WWWAuthenticate("ApiKey", {"header": header})

    def check(given: str | None) -> None:
        if not given or not given.strip():
            raise Unauthorized(f"The {header} header is missing.", www_authenticate=challenge)
        if accepted:
            candidate = _raw_bytes(given)
            matched = False
            for key in accepted:  # every key is compared, so timing does not tell which one was close
                matched |= hmac.compare_digest(candidate, key)
            if not matched:
                raise Unauthorized(f"The key in the {header} header is not accepted.", www_authenticate=challenge)

    return check


def _raw_bytes(header_value: str) -> bytes:
    """The bytes a client sent: WSGI hands header values over decoded as Latin-1."""
    try:
        return header_value.encode("latin-1")
    except UnicodeEncodeError:  # not from a WSGI server (e.g. a test client passing text)
        return header_value.encode("utf-8")
