"""The "did you mean" of an error message: the one known word a misspelt one most resembles (difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known word ``word`` most resembles, case aside (``nmae`` -> ``name``); None when none is close."""
    by_lower = {each.lower(): each for each in known}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    close = difflib.get_close_matches(word.lower(), by_lower, n=1, cutoff=cutoff)
    return by_lower[close[0]] if close else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'name'?)`` to append to a message about ``word``, or nothing when no word is close."""
    match = closest(word, known)
    return f" (did you mean '{match}'?)" if match is not None and match != word else ""
