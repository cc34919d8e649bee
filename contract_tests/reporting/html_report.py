"""The HTML report: one self-contained page that fetches nothing. Its CSS and script are inline, allowed by
their hashes, and its Content-Security-Policy (``default-src 'none'``) forbids any fetch a browser could make."""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

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
        f'<tr class="{esc(c["result"].replace(" ", "-"))}"><td>{esc(c["operation"])}</td>'
        f"<td><code>{esc(c['name'])}</code></td>"
        f'<td>{esc(c["description"])}</td><td class="n">{c["judged"]}</td><td class="n">{c["passed"]}</td>'
        f'<td class="n">{c["failed"]}</td><td class="n">{c["unsettled"]}</td><td>{esc(c["result"])}</td></tr>'
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
{_run_html(document["run"])}
<h2>Failures ({len(document["failures"])})</h2>
{failures or "<p>None.</p>"}
<h2>Checks</h2>
<table id="checks"><thead><tr><th>operation</th><th>check</th><th>what it judges</th><th>judged</th><th>passed</th>
<th>failed</th><th>unsettled</th><th>result</th></tr></thead>
<tbody>{rows}</tbody></table>
{_coverage_html(document)}
<script>{_SCRIPT}</script></body></html>
"""


def _run_html(run: dict[str, Any]) -> str:
    """The run's facts, and the command that repeats it with a copy button."""
    esc = html.escape
    facts = (
        ("started", run["started_at"]),
        ("duration", f"{run['duration_s']:.1f} s"),
        ("seed", run["seed_line"]),
        ("kit version", run["kit_version"]),
        ("spec version", run["spec_version"]),
    )
    items = "".join(f"<dt>{name}</dt><dd>{esc(str(value))}</dd>" for name, value in facts)
    repeat = ""
    if run["command"]:
        repeat = (
            f'<p class="reproduce" id="repeat">repeat this run: <code>{esc(run["command"])}</code> '
            '<button type="button" class="copy">Copy command</button></p>'
        )
    return f'<dl id="run">{items}</dl>{repeat}'


def _coverage_html(document: dict[str, Any]) -> str:
    """What was covered and minimized, the unsettled count, and what was not generated."""
    esc = html.escape
    coverage = document["coverage"]
    lines = [coverage["line"], document["minimizing"]["line"], document["unsettled"]["line"]]
    lines += coverage["stopped_lines"]
    paragraphs = "".join(f"<p>{esc(line)}</p>" for line in lines if line)
    gaps = "".join(f"<li>{esc(gap)}</li>" for gap in coverage["not_generated"])
    missing = f"<h3>Not generated (so not judged)</h3><ul>{gaps}</ul>" if gaps else "<p>Nothing left ungenerated.</p>"
    return f'<h2>Coverage</h2><section id="coverage">{paragraphs}{missing}</section>'


def _failure_html(failure: dict[str, Any]) -> str:
    esc = html.escape
    parts = [
        f'<section class="failure"><h3><code>{esc(failure["check"])}</code>: {esc(failure["summary"])}</h3>',
        f'<p class="description">{esc(failure["description"])}</p><dl>',
        f"<dt>operation</dt><dd>{esc(failure['operation'])}</dd>" if failure["operation"] else "",
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
