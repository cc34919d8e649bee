"""``--report FILE``: the findings written as HTML or JSON, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

import orjson

from contract_tests.reporting.document import report_document
from contract_tests.reporting.html_report import html_report
from contract_tests.reporting.redaction import Secret
from contract_tests.running.records import Outcome
from customers_spec.errors import KitError


def write_report(outcome: Outcome, path: Path, header: str, secret: Secret = None, *, title: str = "") -> None:
    """Write ``path`` as HTML or JSON, by its suffix (.html/.htm or .json)."""
    check_report_path(path)
    document = report_document(outcome, header, secret, title=title)
    if path.suffix.lower() == ".json":
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    else:
        text = html_report(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def check_report_path(path: Path | None) -> None:
    """A KitError before the run when the report's name says neither HTML nor JSON."""
    if path is not None and path.suffix.lower() not in (".html", ".htm", ".json"):
        raise KitError(f"--report must end in .html or .json, not {path.name!r}")
