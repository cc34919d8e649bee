"""The GitHub Actions step summary: the verdict, the table of checks and each failure with its curl, in Markdown."""

from __future__ import annotations

import os
from typing import Any

from contract_tests.reporting.document import report_document
from contract_tests.reporting.redaction import Secret
from contract_tests.running.records import Outcome

STEP_SUMMARY = "GITHUB_STEP_SUMMARY"


def append_step_summary(outcome: Outcome, header: str, secret: Secret = None, *, title: str = "") -> bool:
    """In GitHub Actions (``GITHUB_STEP_SUMMARY`` set), append the Markdown summary; whether it was written."""
    target = os.environ.get(STEP_SUMMARY)
    if not target:
        return False
    with open(target, "a", encoding="utf-8") as file:
        file.write(markdown_summary(report_document(outcome, header, secret, title=title)))
    return True


def markdown_summary(document: dict[str, Any]) -> str:
    """The verdict, the table of checks, and each failure with its curl, as GitHub-flavoured Markdown."""
    mark = "✅" if document["conforms"] else "❌"
    lines = [f"## {mark} {document['title']}", "", f"**{document['verdict']}**", ""]
    lines += ["| check | judged | passed | failed | result |", "| --- | ---: | ---: | ---: | --- |"]
    for check in document["checks"]:
        lines.append(
            f"| `{check['name']}` | {check['judged']} | {check['passed']} | {check['failed']} | {check['result']} |"
        )
    for failure in document["failures"]:
        at = f" at `{failure['path']}`" if failure["path"] else ""
        lines += [
            "",
            f"### `{failure['check']}`: {failure['summary']}{at}",
            f"- expected: {_md(failure['expected'])}",
            f"- got: {_md(failure['got'])}",
            "",
            "```sh",
            failure["curl"],
            "```",
        ]
    return "\n".join(lines) + "\n\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
