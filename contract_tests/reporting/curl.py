"""A failure's reproduction: the curl command that sends the same request, the key read from ``$API_KEY``."""

from __future__ import annotations

from contract_tests.reporting.redaction import KEY_VARIABLE
from contract_tests.sending.transport import WRONG_KEY


def curl(url: str, credentials: str, header: str) -> str:
    """A shell command that sends the same request; the key is read from the ``API_KEY`` variable."""
    words = ["curl", "-sS", "-i", _quoted(url)]
    if credentials == "key":
        words += ["-H", f'"{header}: {KEY_VARIABLE}"']
    elif credentials == "wrong":
        words += ["-H", _quoted(f"{header}: {WRONG_KEY}")]
    return " ".join(words)


def _quoted(text: str) -> str:
    """Always single-quoted (``shlex.quote`` leaves some URLs bare), so the command reads the same every time."""
    return "'" + text.replace("'", "'\"'\"'") + "'"
