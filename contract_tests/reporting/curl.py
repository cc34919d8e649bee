"""A failure's reproduction: the curl command that sends the same request, the key read from ``$API_KEY``.

The request's other headers come after the key: a gateway's (``-H``, ``--bearer``) and a proxied client's
(``Prefer: code=500``), each secret value already a shell variable (``$X_TENANT``), which the command leaves
for the shell to expand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from contract_tests.reporting.redaction import KEY_VARIABLE
from contract_tests.sending.transport import WRONG_KEY

VARIABLE_VALUE = re.compile(r"(?:[A-Za-z]+ )?\$[A-Z_][A-Z0-9_]*")  # ``$X_TENANT``, ``Bearer $CONTRACT_TESTS_BEARER``


def curl(url: str, credentials: str, header: str, headers: Sequence[tuple[str, str]] = ()) -> str:
    """A shell command that sends the same request; the key is read from the ``API_KEY`` variable."""
    words = ["curl", "-sS", "-i", _quoted(url)]
    if not header:  # the spec asks for no key
        pass
    elif credentials == "key":
        words += ["-H", f'"{header}: {KEY_VARIABLE}"']
    elif credentials == "wrong":
        words += ["-H", _quoted(f"{header}: {WRONG_KEY}")]
    for name, value in headers:
        line = f"{name}: {value}"
        words += ["-H", f'"{line}"' if VARIABLE_VALUE.fullmatch(value) else _quoted(line)]
    return " ".join(words)


def _quoted(text: str) -> str:
    """Always single-quoted (``shlex.quote`` leaves some URLs bare), so the command reads the same every time."""
    return "'" + text.replace("'", "'\"'\"'") + "'"
