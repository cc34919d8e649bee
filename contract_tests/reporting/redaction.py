"""The API key never leaves the kit: reports write ``$API_KEY`` in its place, and every text a report writes
passes through ``redact`` in case a server echoed the key back."""

from __future__ import annotations

import re

KEY_VARIABLE = "$API_KEY"
MIN_REDACTED_LENGTH = 4


def redact(text: str, secret: str | None) -> str:
    """``text`` with each whole-token occurrence of the key replaced by ``$API_KEY``.

    Only whole tokens: a key that is also a word or a number of the report (``1``, ``ok``) must not turn the
    report into nonsense; keys shorter than ``MIN_REDACTED_LENGTH`` guard nothing and are left alone.
    """
    if not secret or len(secret) < MIN_REDACTED_LENGTH:
        return text
    token = re.compile(rf"(?<![\w-]){re.escape(secret)}(?![\w-])")
    return token.sub(lambda _: KEY_VARIABLE, text)
