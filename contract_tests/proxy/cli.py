"""``contract-tests proxy``: serve ``ProxyApp`` until SIGINT/SIGTERM, then print and write the run's verdict.

Exit status: 0 when every judged answer conformed, 1 when anything was violated, 2 when it could not start or
judged nothing because the upstream never answered (every request got the proxy's own 502/504).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import click

from contract_tests.judging.selection import check_names, comma_separated, load_checks_modules, select_checks
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from contract_tests.proxy.log import to_stderr
from contract_tests.reporting.junit import write_junit
from contract_tests.reporting.report_file import check_report_path, write_report
from contract_tests.reporting.step_summary import append_step_summary
from contract_tests.reporting.summary import plural, verdict
from contract_tests.reporting.text import summary_table
from contract_tests.sending.gateway import BEARER_VARIABLE, gateway_of, parse_header
from customers_spec import load_api, load_spec
from customers_spec.errors import KitError

COULD_NOT_START = 2
DEFAULT_WORKERS = 2  # both cores judge; measured in bench/bench_proxy.py
POOL_SIZE = 32
OWN_ANSWERS = {502: "the upstream failed", 504: "the upstream was too slow"}


def _headers(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, str]]:
    try:
        return [parse_header(each) for each in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("proxy", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--upstream", required=True, metavar="URL", help="The API to forward to, e.g. https://staging.example.com."
)
@click.option("--port", type=click.IntRange(0, 65535), default=3000, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--preserve-host", is_flag=True, help="Send the client's Host on (links then lead back here).")
@click.option(
    "--link-origin",
    metavar="URL",
    help="The origin (and path prefix) the upstream's Link URLs carry, behind a gateway (default: --upstream).",
)
@click.option(
    "--verdict-cache/--no-verdict-cache",
    default=True,
    show_default=True,
    help="Give an answer identical to one judged before its verdict again (built-in checks only).",
)
@click.option("--strict", is_flag=True, help="Answer a violating response with a 502 problem+json instead.")
@click.option("--spec", "spec_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Spec file.")
@click.option("--checks", metavar="A,B", help="Judge with only these checks.")
@click.option("--exclude-checks", metavar="A,B", help="Skip these checks.")
@click.option("--checks-module", multiple=True, metavar="MODULE", help="A team's checks: module name or .py path.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Upstream seconds.")
@click.option("--workers", type=click.IntRange(1), default=DEFAULT_WORKERS, show_default=True, help="Processes.")
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), help="Write a JUnit XML report at exit.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write FILE.html or FILE.json at exit.")
@click.option(
    "--header",
    "-H",
    "header",
    multiple=True,
    metavar="'NAME: VALUE'",
    callback=_headers,
    help="Add this header to every forwarded request (repeatable; replaces the client's). Never printed.",
)
@click.option(
    "--bearer",
    metavar="TOKEN",
    envvar=BEARER_VARIABLE,
    help=f"Forward 'Authorization: Bearer TOKEN' (default: ${BEARER_VARIABLE}). Never printed.",
)
@click.option("--client-cert", type=FILE, help="A client certificate (PEM) to present to the upstream.")
@click.option("--client-key", type=FILE, help="The client certificate's key (PEM), if not in --client-cert.")
@click.option("--ca-bundle", type=FILE, help="Trust the upstream's certificate by these CAs (PEM).")
def proxy(**options: Any) -> None:
    """Forward to --upstream and judge every answer of the spec's operation on the way back.

    Answers come back unchanged plus X-Contract-Violations; each violation is logged with a curl that
    reproduces it. Stop with Ctrl-C (or SIGTERM) for the summary; exit 1 if anything was violated.
    """
    # Gunicorn and the socket helpers load only when the proxy runs: `contract-tests --base-url` starts faster.
    from contract_tests.proxy.server import serve
    from customers_serving.listening import bind

    to_stderr()
    try:
        app = _app(options)
        listener = bind(options["host"], options["port"])
    except KitError as exc:
        click.echo(f"COULD NOT START: {exc}", err=True)
        raise SystemExit(COULD_NOT_START) from None
    judge = app.judge
    click.echo(
        f"contract-tests proxy: http://{_address(listener)} -> {judge.upstream} "
        f"({len(judge.checks)} checks{', strict' if options['strict'] else ''}); Ctrl-C for the summary",
        err=True,
    )
    serve(app, listener, workers=options["workers"])
    raise SystemExit(finish(judge, options["junit_xml"], options["report"], secret=app.gateway.secrets()))


def _address(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _app(options: dict[str, Any]) -> ProxyApp:
    check_report_path(options["report"])
    load_checks_modules(comma_separated(options["checks_module"]))
    selected = select_checks(check_names(options["checks"]), check_names(options["exclude_checks"]) or ())
    checks = passive_checks(selected)
    if not checks:
        raise KitError("none of the selected checks can judge an answer alone (each sends requests of its own)")
    link_origin = options["link_origin"]
    if link_origin is not None and not link_origin.startswith(("http://", "https://")):
        raise KitError(f"--link-origin must be an http:// or https:// URL, not {link_origin!r}")
    spec = load_spec(options["spec_path"])
    gateway = gateway_of(
        options["header"],
        key_header=spec.api_key_header,
        bearer=options["bearer"],
        client_cert=options["client_cert"],
        client_key=options["client_key"],
        ca_bundle=options["ca_bundle"],
    )
    api = load_api(options["spec_path"])
    judge = ProxyJudge(spec, options["upstream"], checks, options["verdict_cache"], link_origin=link_origin, api=api)
    return ProxyApp(
        judge,
        strict=options["strict"],
        timeout=options["timeout"],
        pool_size=POOL_SIZE,
        preserve_host=options["preserve_host"],
        gateway=gateway,
    )


def finish(
    judge: ProxyJudge, junit_xml: Path | None, report: Path | None, *, secret: dict[str, str] | None = None
) -> int:
    """Print the summary table, write the reports asked for; the exit status (1 when anything was violated, 2
    when nothing was judged because the upstream never answered)."""
    outcome, header = judge.outcome, judge.spec.api_key_header
    own = own_answers(judge)
    if own and not outcome.examples and outcome.error is None:
        outcome.error = f"nothing was judged: the upstream never answered ({own})"
    click.echo(summary_table(outcome))
    click.echo(f"{plural(judge.passed_through, 'request')} passed through unjudged")
    if own:
        click.echo(f"the proxy answered itself: {own}")
    click.echo(verdict(outcome))
    title = f"contract-tests proxy: {judge.upstream}"
    if junit_xml is not None:
        write_junit(outcome, junit_xml, header, secret)
    if report is not None:
        write_report(outcome, report, header, secret, title=title)
    append_step_summary(outcome, header, secret, title=title)
    return outcome.exit_code


def own_answers(judge: ProxyJudge) -> str:
    """The proxy's own answers by status, e.g. ``502 to 3 requests (the upstream failed)``; empty if none."""
    counted = sorted(judge.own_answers.items())
    return ", ".join(
        f"{status} to {plural(count, 'request')} ({OWN_ANSWERS.get(status, '?')})" for status, count in counted
    )
