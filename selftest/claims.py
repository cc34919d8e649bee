"""Every sentence the spec's descriptions say, and the claims table that maps each to the checks judging it.

``docs/claims.yaml`` lists, per description of ``openapi/customers.yaml``, each of its sentences: a claim a
server is held to, with the registered checks that judge it (and the generated values that exercise it), or
not a claim, with why. ``tests/selftest/test_claims.py`` fails when a description gains a sentence the list does
not have, when a listed sentence is gone, or when a claim names a check that does not exist; ``docs/claims.md``
is rendered from the list (``python -m selftest.claims`` writes it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "docs" / "claims.yaml"
TABLE = ROOT / "docs" / "claims.md"
SPEC = ROOT / "openapi" / "customers.yaml"
TEXT_KEYS = frozenset({"description", "summary"})
SENTENCE_END = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+(?=[A-Z`(*])|\n\s*\n|\n(?=\s*[-#] )")


def descriptions(document: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """``(where, text)`` for every description and summary of the document, and every operator's meaning."""
    if isinstance(document, dict):
        for key, value in document.items():
            place = f"{where}.{key}" if where else str(key)
            if key in TEXT_KEYS and isinstance(value, str):
                yield where or key, value
            elif key == "x-operators" and isinstance(value, dict):
                yield from ((f"{place}.{name}", text) for name, text in value.items())
            else:
                yield from descriptions(value, place)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from descriptions(value, f"{where}[{index}]")


def sentences(text: str) -> list[str]:
    """A description cut into sentences (a list item or a heading is one), whitespace made single."""
    parts = SENTENCE_END.split(text.strip())
    return [cleaned for part in parts if (cleaned := " ".join(part.split()).lstrip("- ").strip())]


def spec_sentences(spec_path: Path = SPEC) -> list[tuple[str, str]]:
    """``(where, sentence)`` for every sentence of every description of the spec, in document order."""
    document = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return [(where, sentence) for where, text in descriptions(document) for sentence in sentences(text)]


def load_claims(path: Path = CLAIMS) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return entries


def unlisted(said: list[tuple[str, str]], entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The sentences the spec says that the claims list lacks (a new or reworded sentence)."""
    listed = {(entry["where"], entry["says"]) for entry in entries}
    return [each for each in said if each not in listed]


def stale(said: list[tuple[str, str]], entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The listed sentences the spec no longer says."""
    present = set(said)
    return [(entry["where"], entry["says"]) for entry in entries if (entry["where"], entry["says"]) not in present]


def render(entries: list[dict[str, Any]]) -> str:
    """The markdown table of the claims (the sentences that are no claim listed after it)."""
    lines = [
        "# What the spec claims, and what judges it",
        "",
        "Generated from `docs/claims.yaml` by `python -m selftest.claims`; do not edit by hand. Every sentence",
        "of every description in `openapi/customers.yaml` is listed there: a claim, with the checks of the contract",
        "kit that judge it, or no claim, with why. `tests/selftest/test_claims.py` fails when the spec and the list",
        "differ.",
        "",
        "| claim | parameter / field | where the spec says it | check(s) that judge it |",
        "|---|---|---|---|",
    ]
    claims = [entry for entry in entries if entry.get("checks")]
    for entry in claims:
        checks = ", ".join(f"`{name}`" for name in entry["checks"])
        values = f" (values: {entry['values']})" if entry.get("values") else ""
        lines.append(
            f"| {_cell(entry['claim'])} | {_cell(entry['about'])} | {_cell(entry['where'])}: “{_cell(entry['says'])}”"
            f" | {checks}{_cell(values)} |"
        )
    lines += ["", "## Sentences that are no claim", "", "| where | sentence | why no check |", "|---|---|---|"]
    for entry in entries:
        if not entry.get("checks"):
            lines.append(f"| {_cell(entry['where'])} | {_cell(entry['says'])} | {_cell(entry['no_claim'])} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    TABLE.write_text(render(load_claims()), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE.relative_to(ROOT)}\n")
