"""``--report FILE`` (repeatable): the findings written as HTML or JSON, each file's format chosen by its suffix."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from contract_tests.reporting.document import report_document
from contract_tests.reporting.html_report import html_report
from contract_tests.reporting.redaction import Secret
from contract_tests.running.records import Outcome
from customers_spec.errors import KitError

SUFFIXES = (".html", ".htm", ".json")


def write_report(outcome: Outcome, path: Path, header: str, secret: Secret = None, *, title: str = "") -> None:
    """Write ``path`` as HTML or JSON, by its suffix (.html/.htm or .json)."""
    write_reports(outcome, [path], header, secret, title=title)


def write_reports(
    outcome: Outcome, paths: Iterable[Path], header: str, secret: Secret = None, *, title: str = ""
) -> None:
    """Write every report asked for, each as HTML or JSON by its suffix, from one document."""
    paths = [Path(path) for path in paths]
    check_report_paths(paths)
    document = report_document(outcome, header, secret, title=title)
    for path in paths:
        if path.suffix.lower() == ".json":
            text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
        else:
            text = html_report(document)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check_report_path(path: Path | None) -> None:
    """A KitError before the run when the report's name says neither HTML nor JSON."""
    if path is not None:
        check_report_paths([path])


def check_report_paths(paths: Iterable[Path | str]) -> None:
    """A KitError before the run when a report's name says neither HTML nor JSON, or one file is asked twice."""
    seen: set[Path] = set()
    for path in map(Path, paths):
        if path.suffix.lower() not in SUFFIXES:
            raise KitError(f"--report must end in .html or .json, not {path.name!r}")
        if path.resolve() in seen:
            raise KitError(f"--report {path} is given twice")
        seen.add(path.resolve())
