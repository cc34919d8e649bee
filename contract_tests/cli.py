"""``contract-tests``: check a running implementation of every operation of the spec (or those selected).

Exit status: 0 when it conforms (also when ``--max-time`` stopped it on time), 1 when violations were found,
2 when it could not be tested (unreachable, timeout, refused key, bad options, a server that kept throttling).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from contract_tests.interface import click_options
from contract_tests.invocation import chosen_api, open_context, run_options, secrets
from contract_tests.judging.registry import CHECKS
from contract_tests.judging.selection import check_names, comma_separated, load_checks_modules, select_checks
from contract_tests.proxy.cli import proxy
from contract_tests.repeat import repeat_command
from contract_tests.reporting.junit import write_junit
from contract_tests.reporting.redaction import redact
from contract_tests.reporting.report_file import check_report_paths, write_reports
from contract_tests.reporting.step_summary import append_step_summary
from contract_tests.reporting.text import text_report
from contract_tests.running.operations import run_api
from contract_tests.running.progress import TerminalProgress
from contract_tests.running.records import Outcome
from contract_tests.running.runner import with_seed
from contract_tests.writes_cli import writes
from customers_spec.errors import KitError

COULD_NOT_TEST = 2


@click.group(
    invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}
)
@click_options
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), help="Also write a JUnit XML report.")
@click.option("--list-checks", is_flag=True, help="List the checks and exit.")
@click.version_option(package_name="customers-api-kit", prog_name="contract-tests")  # the installed distribution's
def main(**options: Any) -> None:
    """Check a running Customers API against openapi/customers.yaml; exit 0 only if it conforms.

    `contract-tests proxy --upstream URL` judges live traffic instead (see `contract-tests proxy --help`).
    """
    if click.get_current_context().invoked_subcommand is not None:
        return  # a subcommand (proxy) runs on its own options
    try:
        load_checks_modules(comma_separated(options["checks_module"]))
        check_report_paths(options["report"])
    except KitError as exc:
        click.echo(f"COULD NOT TEST: {exc}", err=True)
        raise SystemExit(COULD_NOT_TEST) from None
    if options["list_checks"]:
        select_checks()
        for check in CHECKS.values():
            click.echo(f"{check.name:<24} {check.description}")
        return
    secret = secrets(options)
    try:
        outcome, header = _run(options)
    except KitError as exc:
        click.echo(redact(f"COULD NOT TEST: {exc}", secret), err=True)
        raise SystemExit(COULD_NOT_TEST) from None
    click.echo(text_report(outcome, header, secret))
    if options["junit_xml"] is not None:
        write_junit(outcome, options["junit_xml"], header, secret)
    if options["report"]:
        write_reports(outcome, options["report"], header, secret, title=f"contract-tests: {options['base_url']}")
    append_step_summary(outcome, header, secret, title=f"contract-tests: {options['base_url']}")
    raise SystemExit(outcome.exit_code)


def _run(options: dict[str, Any]) -> tuple[Outcome, str]:
    if not options["base_url"]:
        raise click.UsageError("--base-url is required")
    checks = select_checks(check_names(options["checks"]), check_names(options["exclude_checks"]) or ())
    api, selected = chosen_api(options)
    if not options["api_key"] and api.api_key_header:
        raise click.UsageError("--api-key (or the API_KEY variable) is required")
    spec = api.lists[0]
    ctx = open_context(options, spec)
    chosen = with_seed(run_options(options))
    seed = f"seed {chosen.seed}" if chosen.seed is not None else "derandomized"
    names = ", ".join(operation.label for operation in selected.operations)
    click.echo(f"Checking {names} at {options['base_url']} ({len(checks)} checks, {seed})", err=True)
    progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
    try:
        outcome = run_api(api, ctx, checks, chosen, operations=selected.operations, progress=progress)
        extra = [("junit-xml", options["junit_xml"])]
        outcome.command = repeat_command(options, outcome.seed, extra=extra, secrets=secrets(options))
        return outcome, spec.api_key_header
    finally:
        if progress is not None:
            progress.finish()
        ctx.transport.close()


main.add_command(proxy)
main.add_command(writes)
