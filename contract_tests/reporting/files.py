"""Reports people read: one self-contained HTML file, the same content as JSON, a GitHub Actions step summary.

All three are drawn from one document (``report_document``): the verdict, the table of checks with how many
requests each judged, and every failure with expected/got/JSON path, the request, the answer (headers and a
trimmed, pretty-printed body) and the curl that reproduces it. The HTML fetches nothing: its CSS and script
are inline, and its Content-Security-Policy (``default-src 'none'``) forbids any fetch a browser could make.
The API key never appears: the request shows ``$API_KEY`` and every text passes through ``redact``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from contract_tests.judging.failures import ContractViolation
from contract_tests.reporting.text import KEY_VARIABLE, curl, redact, verdict
from contract_tests.running.runner import Failure, Outcome
from contract_tests.sending.transport import WRONG_KEY, Response
from customers_spec.errors import KitError

BODY_CHARS = 4000  # of the pretty-printed body shown per failure
SHOWN_ITEMS = 3  # of an array body: the first items, then how many more
STEP_SUMMARY = "GITHUB_STEP_SUMMARY"


@dataclass(frozen=True)
class Exchange:
    """A request and its answer as a report shows them: key replaced by ``$API_KEY``, body trimmed."""

    method: str
    url: str
    request_headers: dict[str, str]
    status: int
    response_headers: dict[str, str]
    body: str


def exchange_of(response: Response, credentials: str, header: str, secret: str | None) -> Exchange:
    """The report's view of an answer: the request it came for (by its credentials) and the trimmed answer."""
    sent = {"key": {header: KEY_VARIABLE}, "wrong": {header: WRONG_KEY}}.get(credentials, {})
    headers = {name: redact(str(value), secret) for name, value in response.headers.items()}
    return Exchange("GET", response.url, sent, response.status, headers, redact(trimmed_body(response.body), secret))


def plain_outcome(outcome: Outcome, header: str, secret: str | None = None) -> dict[str, Any]:
    """An outcome as plain data, to cross a process boundary (gunicorn workers, pytest-xdist workers)."""
    return {
        "checks": list(outcome.checks),
        "examples": outcome.examples,
        "error": outcome.error,
        "passed": dict(outcome.passed),
        "failed": dict(outcome.failed),
        "failures": [
            {
                "check": failure.check,
                "summary": failure.violation.summary,
                "expected": failure.violation.expected,
                "actual": failure.violation.actual,
                "path": failure.violation.path,
                "url": failure.url,
                "credentials": failure.credentials,
                "exchange": _exchange(failure, header, secret),
            }
            for failure in outcome.failures
        ],
    }


def _exchange(failure: Failure, header: str, secret: str | None) -> dict[str, Any] | None:
    answer = failure.violation.response
    if isinstance(answer, Response):
        answer = exchange_of(answer, failure.credentials, header, secret)
    return asdict(answer) if isinstance(answer, Exchange) else None


def outcome_of(plain: dict[str, Any]) -> Outcome:
    """The outcome ``plain_outcome`` wrote; each violation keeps its wording, its answer is an ``Exchange``."""
    failures = []
    for each in plain["failures"]:
        violation = _reported(each["summary"])(each["expected"], each["actual"], each["path"])
        violation.check = each["check"]
        if each["exchange"] is not None:
            violation.response = Exchange(**each["exchange"])
        failures.append(Failure(each["check"], violation, each["url"], each["credentials"]))
    return Outcome(
        checks=tuple(plain["checks"]),
        passed=Counter(plain["passed"]),
        failed=Counter(plain["failed"]),
        failures=failures,
        examples=plain["examples"],
        error=plain["error"],
    )


@cache
def _reported(summary: str) -> type[ContractViolation]:
    """A violation class with the wording of one that lived in another process."""
    return type("ReportedViolation", (ContractViolation,), {"summary": summary})


def merged(outcomes: Sequence[Outcome], *, checks: Sequence[str] | None = None) -> Outcome:
    """Several outcomes as one: counts summed, failures and checks in order (``checks``: the table's rows)."""
    total = Outcome(checks=tuple(checks) if checks is not None else ())
    for outcome in outcomes:
        if checks is None:
            total.checks += tuple(name for name in outcome.checks if name not in total.checks)
        total.examples += outcome.examples
        total.passed.update(outcome.passed)
        total.failed.update(outcome.failed)
        total.failures += outcome.failures
        total.error = total.error or outcome.error
    return total


def trimmed_body(body: bytes) -> str:
    """A JSON body pretty-printed (an array: its first items and a count of the rest), cut at ``BODY_CHARS``."""
    try:
        value: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        text = body[:BODY_CHARS].decode("utf-8", "replace")
    else:
        more = ""
        if isinstance(value, list) and len(value) > SHOWN_ITEMS:
            more = f"\n… and {len(value) - SHOWN_ITEMS} more items"
            value = value[:SHOWN_ITEMS]
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + more
    return text if len(text) <= BODY_CHARS else text[:BODY_CHARS] + "\n… (trimmed)"


def report_document(outcome: Outcome, header: str, secret: str | None = None, *, title: str = "") -> dict[str, Any]:
    """Everything a report says, as plain data (the JSON report is exactly this)."""
    failing = {failure.check for failure in outcome.failures}
    checks = [
        {
            "name": name,
            "judged": outcome.passed[name] + outcome.failed[name],
            "passed": outcome.passed[name],
            "failed": outcome.failed[name],
            "result": "failed" if name in failing else "ok" if outcome.passed[name] else "nothing judged",
        }
        for name in outcome.checks
    ]
    document = {
        "title": title or "contract-tests report",
        "verdict": verdict(outcome),
        "conforms": outcome.exit_code == 0,
        "exit_code": outcome.exit_code,
        "requests": outcome.examples,
        "error": outcome.error,
        "checks": checks,
        "failures": [_failure(failure, header, secret) for failure in outcome.failures],
    }
    return orjson.loads(redact(orjson.dumps(document).decode(), secret))


def _failure(failure: Failure, header: str, secret: str | None) -> dict[str, Any]:
    violation = failure.violation
    return {
        "check": failure.check,
        "summary": violation.summary,
        "expected": violation.expected,
        "got": violation.actual,
        "path": violation.path,
        "curl": curl(failure.url, failure.credentials, header),
        "exchange": _exchange(failure, header, secret),
    }


def write_report(outcome: Outcome, path: Path, header: str, secret: str | None = None, *, title: str = "") -> None:
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


def append_step_summary(outcome: Outcome, header: str, secret: str | None = None, *, title: str = "") -> bool:
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


_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1f24}
h1{font-size:1.5em}.verdict{padding:.6em 1em;border-radius:6px;font-weight:600}
.ok{background:#dafbe1;color:#116329}.bad{background:#ffebe9;color:#a40e26}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d0d7de;padding:.3em .7em;text-align:left}
td.n{text-align:right}tr.failed td{background:#fff5f5}
.failure{border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;margin:1.2em 0;padding:.2em 1em}
pre{background:#f6f8fa;padding:.6em;overflow:auto;max-height:30em;white-space:pre-wrap;word-break:break-all}
dt{font-weight:600}dd{margin:0 0 .4em 1em}button{cursor:pointer}
"""
_SCRIPT = """
document.querySelectorAll('button.copy').forEach(function (button) {
  button.addEventListener('click', function () {
    var text = button.parentElement.querySelector('code').textContent;
    var done = function () { button.textContent = 'Copied'; };
    var fallback = function () {
      var area = document.createElement('textarea');
      area.value = text; document.body.appendChild(area); area.select();
      document.execCommand('copy'); area.remove(); done();
    };
    if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, fallback); } else { fallback(); }
  });
});
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def html_report(document: dict[str, Any]) -> str:
    """One self-contained page: inline style and script allowed by their hashes, every fetch forbidden."""
    esc = html.escape
    csp = f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(_SCRIPT)}"
    rows = "".join(
        f'<tr class="{esc(c["result"].replace(" ", "-"))}"><td><code>{esc(c["name"])}</code></td>'
        f'<td class="n">{c["judged"]}</td><td class="n">{c["passed"]}</td><td class="n">{c["failed"]}</td>'
        f"<td>{esc(c['result'])}</td></tr>"
        for c in document["checks"]
    )
    failures = "".join(_failure_html(failure) for failure in document["failures"])
    verdict_class = "ok" if document["conforms"] else "bad"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(csp, quote=False)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(document["title"])}</title><style>{_STYLE}</style></head>
<body><h1>{esc(document["title"])}</h1>
<p class="verdict {verdict_class}" id="verdict">{esc(document["verdict"])}</p>
<h2>Checks</h2>
<table id="checks"><thead><tr><th>check</th><th>judged</th><th>passed</th><th>failed</th><th>result</th></tr></thead>
<tbody>{rows}</tbody></table>
<h2>Failures ({len(document["failures"])})</h2>
{failures or "<p>None.</p>"}
<script>{_SCRIPT}</script></body></html>
"""


def _failure_html(failure: dict[str, Any]) -> str:
    esc = html.escape
    parts = [
        f'<section class="failure"><h3><code>{esc(failure["check"])}</code>: {esc(failure["summary"])}</h3><dl>',
        f"<dt>expected</dt><dd>{esc(failure['expected'])}</dd><dt>got</dt><dd>{esc(failure['got'])}</dd>",
    ]
    if failure["path"]:
        parts.append(f"<dt>at</dt><dd><code>{esc(failure['path'])}</code></dd>")
    parts.append(
        f'</dl><p class="reproduce"><code>{esc(failure["curl"])}</code> '
        '<button type="button" class="copy">Copy curl</button></p>'
    )
    exchange = failure.get("exchange")
    if exchange:
        sent = "".join(f"\n{name}: {value}" for name, value in exchange["request_headers"].items())
        got = "".join(f"\n{name}: {value}" for name, value in exchange["response_headers"].items())
        parts.append(
            f"<details open><summary>request</summary><pre>{esc(exchange['method'])} {esc(exchange['url'])}"
            f"{esc(sent)}</pre></details><details open><summary>response</summary><pre>{exchange['status']}"
            f"{esc(got)}\n\n{esc(exchange['body'])}</pre></details>"
        )
    parts.append("</section>")
    return "".join(parts)
