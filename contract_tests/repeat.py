"""The command line that repeats a run: the options it was given, from the options table, with its seed.

Written from the parsed options, not from ``sys.argv``, so it is the same however the options came (typed,
from the environment, from the pytest plugin) and whatever options the table gains. An option flagged
``secret`` is never written: its environment variable (``"$API_KEY"``), the shell variable reports write for
a gateway header's value (``"X-Tenant: $X_TENANT"``, see ``invocation.secrets``), or ``***`` stands in its place.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from contract_tests.interface import OPTIONS, KitOption
from contract_tests.reporting.redaction import redact

MASK = "***"


def repeat_command(
    values: Mapping[str, Any],
    seed: int | None,
    *,
    program: str = "contract-tests",
    prefix: str = "--",
    extra: Iterable[tuple[str, Any]] = (),
    secrets: Mapping[str, str] | None = None,
) -> str:
    """``program`` with every option of the table that differs from its default, ``--seed`` set to ``seed``,
    then ``extra`` (options outside the table, e.g. the CLI's ``--junit-xml``) as ``(name, value)``; ``secrets``
    maps each secret value to the shell variable written in its place."""
    words = [program]
    for option in OPTIONS:
        value = seed if option.dest == "seed" else values.get(option.dest)
        words += _option_words(f"{prefix}{option.name}", value, option, secrets or {})
    for name, value in extra:
        words += _option_words(f"--{name}", value, None, {})
    return " ".join(words)


def _option_words(flag: str, value: Any, option: KitOption | None, secrets: Mapping[str, str]) -> list[str]:
    if value is None or value is False or value == [] or value == ():
        return []
    if option is not None and value == option.default:
        return []
    if value is True:
        return [flag]
    repeated = (option is not None and option.multiple) or isinstance(value, list)
    values = list(value) if repeated else [value]
    return [word for each in values for word in (flag, _shown(each, option, secrets))]


def _shown(value: Any, option: KitOption | None, secrets: Mapping[str, str]) -> str:
    text = ": ".join(value) if isinstance(value, tuple) else str(value)  # a header is (name, value)
    if option is None or not option.secret:
        return shlex.quote(text)
    if option.envvar:
        return f'"${option.envvar}"'
    masked = redact(text, dict(secrets))
    if masked == text:
        return MASK
    return '"' + re.sub(r'(["`\\])', r"\\\1", masked) + '"'  # double quotes: the shell expands the variable
