"""The misreadings of the spec's claims a SQL, MongoDB or JavaScript implementation plausibly makes, as data.

``docs/misreadings.yaml`` lists each: an ``id`` other fault tables can name, the claim of ``docs/claims.yaml`` it
misreads, the languages where the slip is made, the field types and operators it touches, what the
implementation does and how it then answers, the draw of ``contract_tests.generation.telling`` that tells it
from the spec's reading, and the engine fault of ``selftest.faults`` that commits it. ``selftest.readings``
holds a plain implementation of each; ``tests/selftest/test_misreadings.py`` proves every draw tells its
misreading on sampled data. ``docs/misreadings.md`` is rendered from the list (``python -m
selftest.misreadings`` writes it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from selftest.claims import ROOT

MISREADINGS = ROOT / "docs" / "misreadings.yaml"
TABLE = ROOT / "docs" / "misreadings.md"
FIELDS = ("id", "claim", "languages", "types", "operators", "misreads", "answers", "draw", "fault")


@dataclass(frozen=True)
class Misreading:
    """One listed misreading (``docs/misreadings.yaml``)."""

    id: str
    claim: str
    languages: tuple[str, ...]
    types: frozenset[str]
    operators: frozenset[str]
    misreads: str
    answers: str
    draw: str
    fault: str


def load_misreadings(path: Path = MISREADINGS) -> list[Misreading]:
    """The listed misreadings; ValueError naming the entry when one lacks a field or has one too many."""
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for index, entry in enumerate(entries):
        if set(entry) != set(FIELDS):
            raise ValueError(f"{path.name}[{index}] ({entry.get('id')}): fields {sorted(entry)}, not {list(FIELDS)}")
        found.append(
            Misreading(
                id=entry["id"],
                claim=entry["claim"],
                languages=tuple(entry["languages"]),
                types=frozenset(entry["types"]),
                operators=frozenset(entry["operators"]),
                misreads=entry["misreads"],
                answers=entry["answers"],
                draw=entry["draw"],
                fault=entry["fault"],
            )
        )
    return found


def render(misreadings: list[Misreading]) -> str:
    """The markdown table of the misreadings, grouped by the claim each misreads."""
    lines = [
        "# The spec's misreadings, and the values that tell them",
        "",
        "Generated from `docs/misreadings.yaml` by `python -m selftest.misreadings`; do not edit by hand. Each row",
        "is a misreading of a claim of [`claims.md`](claims.md) that a hurried implementation in SQL, MongoDB or",
        "JavaScript plausibly makes, with the draw of `contract_tests/generation/telling.py` (of a sort:",
        "`telling_cases.py`) that makes, from a value of the data, one on which it and the spec's reading answer",
        "differently, and the engine fault of",
        "`selftest/faults.py` that commits it (the kit must catch it without the data).",
        "`tests/selftest/test_misreadings.py` fails when a misreading has no draw, when its draw does not tell it",
        "from the spec's reading on a sampled dataset, or when no fault commits it.",
        "",
        "| id | claim misread | in | types, operators | the implementation | answers | draw | fault |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for each in sorted(misreadings, key=lambda each: each.claim):
        touched = f"{', '.join(sorted(each.types))}: {', '.join(sorted(each.operators))}"
        cells = [
            f"`{each.id}`",
            each.claim,
            ", ".join(each.languages),
            touched,
            each.misreads,
            each.answers,
            f"`{each.draw}`",
            each.fault,
        ]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    TABLE.write_text(render(load_misreadings()), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE.relative_to(ROOT)}\n")
