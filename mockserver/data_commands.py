"""``mockserver generate`` and ``mockserver validate``: make datasets and check customer payloads.

``validate`` exits 0 when the payload is valid, 1 when it breaks the spec (each problem on its own line),
and 2 when it cannot be read or is not JSON (one line, never a traceback).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
import orjson

from customers_spec import load_spec
from customers_spec.datafile import is_data_document
from customers_spec.errors import KitError
from mockserver.config import DEFAULT_SEED
from mockserver.data.chunked import dump_dataset, write_dataset
from mockserver.data.generate import generate_dataset
from mockserver.data.payloads import validate_payload

DEFAULT_COUNT = 1000
PROGRESS_THRESHOLD = 10_000  # smaller datasets take under a second: a bar would only flicker
EXIT_INVALID, EXIT_UNREADABLE = 1, 2

spec_option = click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="OpenAPI document to check against (default: the shipped openapi/customers.yaml).",
)


@click.command()
@click.option("--count", "-n", type=click.IntRange(min=0), default=DEFAULT_COUNT, show_default=True)
@click.option("--seed", "-s", type=int, default=DEFAULT_SEED, show_default=True, help="Same seed, same data.")
@click.option("--output", "-o", default="-", show_default=True, help="File to write, '-' for stdout.")
def generate(count: int, seed: int, output: str) -> None:
    """Generate a realistic German dataset: COUNT customers with their sites, as the mock's data file."""
    if count >= PROGRESS_THRESHOLD and _stderr_is_terminal():
        with click.progressbar(length=count, label="Generating customers", file=sys.stderr) as bar:
            dataset = generate_dataset(count, seed, progress=bar.update)
    else:
        dataset = generate_dataset(count, seed)
    if output == "-":
        with click.open_file("-", "wb") as stdout:  # standard output is flushed, not closed
            write_dataset(dataset, stdout)
        return
    try:
        dump_dataset(dataset, Path(output))
    except OSError as exc:
        raise click.FileError(output, exc.strerror) from exc
    summary = f"{len(dataset.customers)} customers, {len(dataset.objects)} objects (seed {seed})"
    click.echo(f"{summary} -> {output}", err=True)


@click.command()
@click.argument("file", metavar="FILE")
@spec_option
def validate(file: str, spec_path: Path | None) -> None:
    """Check FILE ('-' for stdin): one customer (object), several (array), or a data file."""
    try:
        spec = load_spec(spec_path)
        payload = orjson.loads(_read(file))
    except KitError as exc:
        fail(str(exc), EXIT_UNREADABLE)
    except orjson.JSONDecodeError as exc:
        fail(f"{_name(file)}: not JSON: {exc}", EXIT_UNREADABLE)
    problems = validate_payload(payload, spec)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        fail(f"{_name(file)}: {len(problems)} problem{'s' * (len(problems) != 1)}", EXIT_INVALID)
    click.echo(f"OK: {_name(file)}: {_describe(payload)} valid")


def _stderr_is_terminal() -> bool:
    """A bar only where someone watches: never in logs or pipes, where it would be noise."""
    return sys.stderr.isatty()


def _read(file: str) -> bytes:
    """The file's bytes; KitError (one line) when it cannot be read."""
    try:
        if file == "-":
            with click.open_file("-", "rb") as stream:
                return stream.read()
        return Path(file).read_bytes()
    except OSError as exc:
        raise KitError(f"{_name(file)}: cannot read: {exc.strerror or exc}") from exc


def _name(file: str) -> str:
    return "<stdin>" if file == "-" else file


def _describe(payload: Any) -> str:
    if is_data_document(payload):
        return f"{len(payload['customers'])} customers, {len(payload.get('objects', []))} objects"
    if isinstance(payload, list):
        return f"{len(payload)} record{'s' * (len(payload) != 1)}"
    return "1 record"


def fail(message: str, code: int) -> NoReturn:
    """The one way every ``mockserver`` command stops on a problem: one line on stderr, then exit ``code``."""
    click.echo(message, err=True)
    sys.exit(code)
