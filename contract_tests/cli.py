"""``contract-tests``: check a running implementation of GET /v2/customers against the spec.

Exit status: 0 when it conforms, 1 when violations were found, 2 when it could not be tested (unreachable,
timeout, refused key, bad options).
"""

from __future__ import annotations

from pathlib import Path

import click

from contract_tests.custom_checks import comma_separated, load_checks_modules
from contract_tests.kit import check_names, http_context
from contract_tests.profiles import PROFILES
from contract_tests.proxy_cli import proxy
from contract_tests.registry import CHECKS, select_checks
from contract_tests.report import text_report, write_junit
from contract_tests.report_files import append_step_summary, check_report_path, write_report
from contract_tests.runner import Options, Outcome, run
from customers_spec import load_spec
from customers_spec.errors import KitError

COULD_NOT_TEST = 2


@click.group(
    invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}
)
@click.option("--base-url", metavar="URL", help="Where the API runs, e.g. http://localhost:3000.")
@click.option("--api-key", envvar="API_KEY", metavar="KEY", help="The API key (default: $API_KEY). Never printed.")
@click.option("--spec", "spec_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Spec file.")
@click.option("--checks", metavar="A,B", help="Run only these checks (see --list-checks).")
@click.option("--exclude-checks", metavar="A,B", help="Skip these checks.")
@click.option("--max-examples", type=click.IntRange(1), default=100, show_default=True, help="Generated requests.")
@click.option("--seed", type=int, help="Make the run reproducible.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds per request.")
@click.option(
    "--hypothesis-profile",
    type=click.Choice(sorted(PROFILES)),
    default="default",
    show_default=True,
    help="'ci' is derandomized: the same requests every run.",
)
@click.option("--invalid-api-key-rejected", is_flag=True, help="The server restricts keys: a wrong key must get 401.")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The dataset behind the server, so relation filters use ids of existing sites.",
)
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), help="Also write a JUnit XML report.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Also write FILE.html or FILE.json.")
@click.option("--checks-module", multiple=True, metavar="MODULE", help="A team's checks: module name or .py path.")
@click.option("--no-shrink", is_flag=True, help="Report failing requests as found, without minimizing them.")
@click.option("--list-checks", is_flag=True, help="List the checks and exit.")
@click.version_option(package_name="customers-api-kit", prog_name="contract-tests")  # the installed distribution's
def main(**options: object) -> None:
    """Check a running Customers API against openapi/customers.yaml; exit 0 only if it conforms.

    `contract-tests proxy --upstream URL` judges live traffic instead (see `contract-tests proxy --help`).
    """
    if click.get_current_context().invoked_subcommand is not None:
        return  # a subcommand (proxy) runs on its own options
    try:
        load_checks_modules(comma_separated(options["checks_module"]))  # type: ignore[arg-type]
        check_report_path(options["report"])  # type: ignore[arg-type]
    except KitError as exc:
        click.echo(f"COULD NOT TEST: {exc}", err=True)
        raise SystemExit(COULD_NOT_TEST) from None
    if options["list_checks"]:
        select_checks()
        for check in CHECKS.values():
            click.echo(f"{check.name:<24} {check.description}")
        return
    try:
        outcome, header = _run(options)
    except KitError as exc:
        click.echo(f"COULD NOT TEST: {exc}", err=True)
        raise SystemExit(COULD_NOT_TEST) from None
    secret = str(options["api_key"])
    click.echo(text_report(outcome, header, secret))
    if options["junit_xml"] is not None:
        write_junit(outcome, options["junit_xml"], header, secret)  # type: ignore[arg-type]
    if options["report"] is not None:
        write_report(outcome, options["report"], header, secret, title=f"contract-tests: {options['base_url']}")  # type: ignore[arg-type]
    append_step_summary(outcome, header, secret, title=f"contract-tests: {options['base_url']}")
    raise SystemExit(outcome.exit_code)


def _run(options: dict[str, object]) -> tuple[Outcome, str]:
    if not options["base_url"]:
        raise click.UsageError("--base-url is required")
    if not options["api_key"]:
        raise click.UsageError("--api-key (or the API_KEY variable) is required")
    checks = select_checks(check_names(options["checks"]), check_names(options["exclude_checks"]) or ())  # type: ignore[arg-type]
    spec = load_spec(options["spec_path"])  # type: ignore[arg-type]
    ctx = http_context(
        str(options["base_url"]),
        str(options["api_key"]),
        spec=spec,
        timeout=float(options["timeout"]),  # type: ignore[arg-type]
        rejects_invalid_keys=bool(options["invalid_api_key_rejected"]),
        data=options["data"],  # type: ignore[arg-type]
    )
    settings = Options(
        max_examples=int(options["max_examples"]),  # type: ignore[call-overload]
        seed=options["seed"],  # type: ignore[arg-type]
        profile=PROFILES[str(options["hypothesis_profile"])],
        shrink=not options["no_shrink"],
    )
    click.echo(f"Checking {spec.method.upper()} {spec.path} at {options['base_url']} ({len(checks)} checks)", err=True)
    try:
        return run(ctx, checks, settings), spec.api_key_header
    finally:
        ctx.transport.close()


main.add_command(proxy)
