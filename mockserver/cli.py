"""``mockserver``: serve the mock (the default command), or generate and validate data files.

Every start-up problem (bad option, unreadable or corrupt data, port in use) is one line on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from customers_spec.errors import KitError
from mockserver.config import MAX_DELAY_MS, Config
from mockserver.data_commands import HELP, fail, generate, validate
from mockserver.reset_command import reset

EXIT_STARTUP = 2


def _fail(message: str) -> NoReturn:
    fail(f"mockserver: error: {message}", EXIT_STARTUP)


class _OneLineErrors(click.Group):
    """A group whose usage and start-up errors are one line and exit 2, for any subcommand."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            _fail("aborted")
        except click.ClickException as exc:
            _fail(exc.format_message().replace("\n", " "))
        except KitError as exc:  # anything else is a bug, and keeps its traceback
            _fail(str(exc).replace("\n", " "))


@click.group(cls=_OneLineErrors, invoke_without_command=True, context_settings=HELP)
@click.version_option(package_name="customers-api-kit", prog_name="mockserver")  # the installed distribution's
@click.pass_context
def main(ctx: click.Context) -> None:
    """Mock server and data tools for GET /v2/customers. Without a command: serve with its defaults."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@main.command(context_settings=HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=3000, show_default=True, help="0: any free port.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes.")
@click.option("--data", type=click.Path(path_type=Path), help="Dataset file (default: the shipped dataset).")
@click.option("--count", type=click.IntRange(min=0), help="Generate this many customers in memory instead.")
@click.option(
    "--spec",
    type=click.Path(dir_okay=False, path_type=Path),
    help="OpenAPI document to serve (default: the shipped openapi/customers.yaml).",
)
@click.option("--seed", type=int, help="Seed for --count (same seed, same data).")
@click.option("--api-key", "api_keys", multiple=True, help="Accepted key (repeatable; also env MOCKSERVER_API_KEYS).")
@click.option(
    "--delay", "delay_ms", type=click.IntRange(0, MAX_DELAY_MS), default=0, help="Milliseconds added to each answer."
)
@click.option("--cors-origin", "cors_origins", multiple=True, help="Allowed CORS origin (repeatable; default any).")
@click.option("--lenient", is_flag=True, help="Ignore unknown query parameters instead of answering 400.")
@click.option("--quiet", is_flag=True, help="No request log (e.g. for benchmarks).")
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep the writes in this SQLite file across restarts (default: forgotten when the server stops).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    data: Path | None,
    count: int | None,
    spec: Path | None,
    seed: int | None,
    api_keys: tuple[str, ...],
    delay_ms: int,
    cors_origins: tuple[str, ...],
    lenient: bool,
    quiet: bool,
    state: Path | None,
) -> None:
    """Serve the mock under gunicorn (data loaded once, before the workers fork)."""
    from customers_serving.listening import bind
    from mockserver.app import create_app
    from mockserver.http.serving import configure_logging, serve
    from mockserver.startup.memory import release_freed_memory

    config = Config(
        host=host,
        port=port,
        workers=workers,
        data=data,
        spec=spec,
        count=count,
        seed=seed,
        api_keys=frozenset(api_keys),  # create_app adds those of MOCKSERVER_API_KEYS
        delay_ms=delay_ms,
        cors_origins=frozenset(cors_origins) or None,
        lenient=lenient,
        log_requests=not quiet,
        state=state,
    )
    configure_logging(quiet)
    app = create_app(config)
    release_freed_memory()  # the dataset's records are garbage now: the workers must not fork with their pages
    try:
        listener = bind(host, port)
    except KitError as exc:
        _fail(str(exc))
    bound_host, bound_port = listener.getsockname()[:2]
    url = f"http://{_url_host(bound_host)}:{bound_port}"
    click.echo(f"mockserver: {_served(app)} at {url} (docs: {url}/docs)", err=True)
    serve(app, listener, config)


def _served(app: Any) -> str:
    """What the app serves, for the start-up line: each collection's records and the operations."""
    api, stores = app.extensions["mockserver.api"], app.extensions["mockserver.stores"]
    counted: dict[str, int] = {}
    for key, store in stores.items():
        counted.setdefault(key.partition(" ")[0], len(store))
    records = ", ".join(f"{count} {name}" for name, count in counted.items()) or "no records"
    operations = ", ".join(operation.key for operation in api.operations)
    count = len(api.operations)
    return f"serving {records} ({count} operation{'' if count == 1 else 's'}: {operations})"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


main.add_command(generate)
main.add_command(reset)
main.add_command(validate)
