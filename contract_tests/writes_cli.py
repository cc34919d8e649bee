"""``contract-tests writes --allow-writes``: the write checks against a live server (create, read back, update,
delete, an invalid body), everything created removed at the end, a line for each check and for each record
written and removed. Refused without ``--allow-writes``: staging is shared, and a tool must never write where it
was not told to.

Exit status: 0 when every write check passed and every record was removed, 1 when a check failed or a record
could not be removed (named, with the marker it carries), 2 when it could not test.
"""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from contract_tests.running.writes import run_writes
from contract_tests.sending.writer import Writer
from customers_spec import load_api
from customers_spec.errors import KitError

COULD_NOT_TEST = 2


@click.command("writes", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--base-url", required=True, help="The server to write to, e.g. http://127.0.0.1:3000.")
@click.option("--api-key", envvar="API_KEY", default="", help="The key to send (default: env API_KEY).")
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="The OpenAPI document (its writes).")
@click.option("--header", "headers", multiple=True, help="Another header to send, NAME: VALUE (repeatable).")
@click.option("--allow-writes", is_flag=True, help="Let the run create, change and delete records (required).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Also write the run as JSON here.")
def writes(
    base_url: str, api_key: str, spec: Path | None, headers: tuple[str, ...], allow_writes: bool, report: Path | None
) -> None:
    """Check the writes the spec declares against a live server; only with --allow-writes."""
    try:
        if not allow_writes:
            raise KitError(
                "the write checks create, change and delete records: pass --allow-writes to let them (never by"
                " default, staging is shared)"
            )
        api = load_api(spec)
        if not api.writes:
            raise KitError("the spec declares no write (POST on a list's path, PUT/PATCH/DELETE on an item's)")
        sent = dict(_header(each) for each in headers)
        if api.api_key_header and api_key:
            sent[api.api_key_header] = api_key
        run = run_writes(api, Writer(base_url, sent))
    except KitError as exc:
        click.echo(f"COULD NOT TEST: {str(exc).replace(chr(10), ' ')}", err=True)
        raise SystemExit(COULD_NOT_TEST) from None
    for line in run.lines():
        click.echo(line)
    if report is not None:
        report.write_bytes(orjson.dumps(run.document(), option=orjson.OPT_INDENT_2))
    failed = bool(run.violations or run.left)
    click.echo(f"{len(run.violations)} write check(s) failed; {len(run.written)} written, {len(run.removed)} removed")
    raise SystemExit(COULD_NOT_TEST if run.error else 1 if failed else 0)


def _header(raw: str) -> tuple[str, str]:
    name, separator, value = raw.partition(":")
    if not separator or not name.strip():
        raise KitError(f"--header must be NAME: VALUE, not {raw!r}")
    return name.strip(), value.strip()
