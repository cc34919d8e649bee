"""No secret leaves the kit: reports write ``$API_KEY`` for the key (and a shell variable for each gateway
header's value, see ``sending.gateway``), and every text a report writes passes through ``redact`` in case a
server echoed a secret back."""

from __future__ import annotations

import re
from collections.abc import Mapping

KEY_VARIABLE = "$API_KEY"
MIN_REDACTED_LENGTH = 4

# The key alone (written as ``$API_KEY``), or each secret value with what a report writes in its place.
Secret = str | Mapping[str, str] | None


def redact(text: str, secret: Secret) -> str:
    """``text`` with each whole-token occurrence of a secret replaced by its placeholder (``$API_KEY``).

    Only whole tokens: a key that is also a word or a number of the report (``1``, ``ok``) must not turn the
    report into nonsense; secrets shorter than ``MIN_REDACTED_LENGTH`` guard nothing and are left alone.
    """
    for value, placeholder in _placeholders(secret):
        token = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
        text = token.sub(placeholder.replace("\\", "\\\\"), text)  # the placeholder as written
    return text


def _placeholders(secret: Secret) -> list[tuple[str, str]]:
    """The secrets worth redacting, longest first (a value containing another is replaced whole)."""
    found = {secret: KEY_VARIABLE} if isinstance(secret, str) else dict(secret or {})
    kept = [(value, shown) for value, shown in found.items() if value and len(value) >= MIN_REDACTED_LENGTH]
    return sorted(kept, key=lambda pair: -len(pair[0]))
