"""The README's shell commands work as pasted: a curl with ``[`` ``]`` in its URL has ``-g``, or curl reads the
brackets as a URL range and (with ``-s``) prints nothing."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def curl_commands(text: str) -> list[list[str]]:
    """Every curl command line of the text's code blocks, split as a shell splits it."""
    commands = []
    for line in text.splitlines():
        line = line.strip().removeprefix("$ ")
        if line.startswith("curl "):
            commands.append(shlex.split(line))
    return commands


def globs_off(words: list[str]) -> bool:
    return "--globoff" in words or any(re.fullmatch(r"-[a-zA-Z]*g[a-zA-Z]*", word) for word in words)


def test_every_curl_with_brackets_turns_globbing_off() -> None:
    found = [(path.name, words) for path in DOCUMENTS for words in curl_commands(path.read_text(encoding="utf-8"))]
    bracketed = [(name, words) for name, words in found if any("[" in word and "://" in word for word in words)]
    assert bracketed, "the README shows a generalField[…] request"
    wrong = [f"{name}: {shlex.join(words)}" for name, words in bracketed if not globs_off(words)]
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_a_curl_without_g() -> None:
    (words,) = curl_commands("$ curl -s 'http://h/v2/customers?generalField[field]=name' -H 'x: y'")
    assert not globs_off(words)
    assert globs_off(shlex.split("curl -sg 'http://h/?a[b]=c'")) and globs_off(["curl", "--globoff"])
