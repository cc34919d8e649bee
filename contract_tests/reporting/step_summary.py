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
    """The verdict and the run's facts, each failure with its curl, the table of checks, what was covered and not
    generated, and the command that repeats the run, as GitHub-flavoured Markdown."""
    mark = "✅" if document["conforms"] else "❌"
    run = document["run"]
    lines = [f"## {mark} {document['title']}", "", f"**{document['verdict']}**", ""]
    lines += [
        f"started {run['started_at']}, {run['duration_s']:.1f} s; seed {run['seed_line']};"
        f" kit {run['kit_version']}, spec {run['spec_version']}",
        "",
    ]
    for failure in document["failures"]:
        at = f" at `{failure['path']}`" if failure["path"] else ""
        lines += [
            f"### `{failure['check']}`: {failure['summary']}{at}",
            *([f"operation: `{failure['operation']}`", ""] if failure["operation"] else []),
            f"_{_md(failure['description'])}_",
            "",
            f"- expected: {_md(failure['expected'])}",
            f"- got: {_md(failure['got'])}",
            "",
            "```sh",
            failure["curl"],
            "```",
            "",
        ]
    lines += [
        "| operation | check | what it judges | judged | passed | failed | unsettled | result |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for check in document["checks"]:
        lines.append(
            f"| {_md(check['operation'])} | `{check['name']}` | {_md(check['description'])} | {check['judged']}"
            f" | {check['passed']}"
            f" | {check['failed']} | {check['unsettled']} | {check['result']} |"
        )
    coverage = document["coverage"]
    lines.append("")
    lines += [
        f"- {_md(line)}"
        for line in (coverage["line"], document["minimizing"]["line"], document["unsettled"]["line"])
        if line
    ]
    lines += [f"- {_md(line.strip())}" for line in coverage["stopped_lines"]]
    lines += [f"- not generated (so not judged): {_md(gap)}" for gap in coverage["not_generated"]]
    if run["command"]:
        lines += ["", "Repeat this run:", "", "```sh", run["command"], "```"]
    return "\n".join(lines) + "\n\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
