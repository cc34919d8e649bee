"""The command line that repeats a run: the options it was given, from the options table, with its seed.

Written from the parsed options, not from ``sys.argv``, so it is the same however the options came (typed,
from the environment, from the pytest plugin) and whatever options the table gains. An option flagged
``secret`` is never written: ``"$API_KEY"`` (its environment variable) or ``***`` stands in its place.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from contract_tests.interface import OPTIONS, KitOption

MASK = "***"


def repeat_command(
    values: Mapping[str, Any],
    seed: int | None,
    *,
    program: str = "contract-tests",
    prefix: str = "--",
    extra: Iterable[tuple[str, Any]] = (),
) -> str:
    """``program`` with every option of the table that differs from its default, ``--seed`` set to ``seed``,
    then ``extra`` (options outside the table, e.g. the CLI's ``--junit-xml``) as ``(name, value)``."""
    words = [program]
    for option in OPTIONS:
        value = seed if option.dest == "seed" else values.get(option.dest)
        words += _option_words(f"{prefix}{option.name}", value, option)
    for name, value in extra:
        words += _option_words(f"--{name}", value, None)
    return " ".join(words)


def _option_words(flag: str, value: Any, option: KitOption | None) -> list[str]:
    if value is None or value is False or value == [] or value == ():
        return []
    if option is not None and value == option.default:
        return []
    if value is True:
        return [flag]
    values = list(value) if isinstance(value, list | tuple) else [value]
    return [word for each in values for word in (flag, _shown(each, option))]


def _shown(value: Any, option: KitOption | None) -> str:
    if option is not None and option.secret:
        return f'"${option.envvar}"' if option.envvar else MASK
    return shlex.quote(str(value))
