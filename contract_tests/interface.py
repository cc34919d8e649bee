"""The kit's options, declared once: the CLI (``--name``) and the pytest plugin (``--contract-name``) are built
from this one table, so they cannot drift apart in names, defaults or validation.

Only what makes no sense in pytest stays in the CLI alone: ``--list-checks`` and ``--junit-xml`` (pytest has
its own ``--junitxml``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from contract_tests.running.profiles import PROFILES
from contract_tests.sending.gateway import BEARER_VARIABLE, parse_header
from contract_tests.sending.pacing import parse_rate


@dataclass(frozen=True)
class KitOption:
    """One option: ``name`` as written after ``--`` (the plugin adds ``contract-``), its type, default and help."""

    name: str
    help: str
    type: type = str
    default: Any = None
    flag: bool = False
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    envvar: str | None = None
    existing_file: bool = False
    convert: Callable[[str], Any] | None = None  # text to value, raising ValueError (e.g. a rate)
    plugin_aliases: tuple[str, ...] = ()
    multiple: bool = False  # repeatable; the value is the list of what was given
    short: str | None = None  # the CLI's one-letter name (``-H``); the plugin has none
    secret: bool = False  # its value is never printed (reports mask it, a repeat command too)

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    @property
    def shown(self) -> str:
        """The placeholder for the value in help texts."""
        if self.metavar:
            return self.metavar
        if self.choices:
            return "[" + "|".join(self.choices) + "]"
        return "FILE" if self.existing_file else {int: "INTEGER", float: "NUMBER"}.get(self.type, "TEXT")

    def parse(self, text: str) -> Any:
        """The value of ``text``; raises ``ValueError`` with a message saying what is expected."""
        if self.convert is not None:
            return self.convert(text)
        if self.existing_file:
            path = Path(text)
            if not path.is_file():
                raise ValueError(f"no such file: {text}")
            return path
        value = self.type(text)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {self.minimum:g}, not {text}")
        if self.choices and value not in self.choices:
            raise ValueError(f"must be one of {', '.join(self.choices)}, not {text}")
        return value


OPTIONS: tuple[KitOption, ...] = (
    KitOption("base-url", "Where the API runs, e.g. http://localhost:3000.", metavar="URL"),
    KitOption(
        "api-key", "The API key (default: $API_KEY). Never printed.", metavar="KEY", envvar="API_KEY", secret=True
    ),
    KitOption(
        "header",
        "A header for every request, e.g. 'X-Tenant: acme' for a gateway (repeatable). Values never printed.",
        metavar="'NAME: VALUE'",
        convert=parse_header,
        multiple=True,
        short="-H",
        secret=True,
    ),
    KitOption(
        "bearer",
        f"Send 'Authorization: Bearer TOKEN' on every request (default: ${BEARER_VARIABLE}). Never printed.",
        metavar="TOKEN",
        envvar=BEARER_VARIABLE,
        secret=True,
    ),
    KitOption("client-cert", "A client certificate (PEM) for a gateway that asks for one.", existing_file=True),
    KitOption(
        "client-key", "The client certificate's key (PEM), if not in --client-cert.", existing_file=True, secret=True
    ),
    KitOption("ca-bundle", "Trust the server's certificate by these CAs (PEM), e.g. a private CA.", existing_file=True),
    KitOption("spec", "The spec file (default: the shipped openapi/customers.yaml).", existing_file=True),
    KitOption(
        "operations",
        "Check only these operations: operationId or 'METHOD /path' (repeatable, or comma-separated).",
        metavar="OPERATION",
        multiple=True,
    ),
    KitOption(
        "exclude-operations",
        "Skip these operations: operationId or 'METHOD /path' (repeatable, or comma-separated).",
        metavar="OPERATION",
        multiple=True,
    ),
    KitOption("checks", "Run only these checks (see contract-tests --list-checks).", metavar="A,B"),
    KitOption("exclude-checks", "Skip these checks.", metavar="A,B"),
    KitOption("max-examples", "Generated requests.", type=int, default=100, minimum=1),
    KitOption("seed", "Repeat a run: its requests (default: drawn at random, and printed).", type=int),
    KitOption("timeout", "Seconds per request.", type=float, default=10.0, minimum=0.1),
    KitOption(
        "hypothesis-profile",
        "'ci' is derandomized: the same requests every run.",
        default="default",
        choices=tuple(sorted(PROFILES)),
        plugin_aliases=("--contract-profile",),
    ),
    KitOption("invalid-api-key-rejected", "The server restricts keys: a wrong key must get 401.", flag=True),
    KitOption(
        "data",
        "The dataset behind the server, so relation filters use ids of existing sites.",
        existing_file=True,
        metavar="FILE",
    ),
    KitOption("no-shrink", "Report failing requests as found, without minimizing them.", flag=True),
    KitOption(
        "rate-limit",
        "At most this many requests (N/s, N/m or N/h), all workers together.",
        metavar="RATE",
        convert=parse_rate,
    ),
    KitOption(
        "max-time",
        "Stop starting examples after this many seconds and report what was covered.",
        type=float,
        minimum=0.1,
        metavar="SECONDS",
    ),
    KitOption(
        "max-failures",
        "Stop sending examples once this many distinct violations are found (default: run them all).",
        type=int,
        minimum=1,
        metavar="N",
    ),
    KitOption(
        "workers",
        "Examples sent concurrently (verdicts and --seed runs stay the same).",
        type=int,
        default=1,
        minimum=1,
    ),
    KitOption(
        "link-origin",
        "The origin (and path prefix) the Link header's URLs carry, behind a gateway (default: --base-url).",
        metavar="URL",
    ),
    KitOption(
        "report",
        "Also write the findings as FILE.html or FILE.json (repeatable: several reports of one run).",
        type=Path,
        metavar="FILE",
        multiple=True,
    ),
    KitOption(
        "checks-module",
        "A team's own checks: a module name or a .py path (repeatable, or comma-separated).",
        metavar="MODULE",
        multiple=True,
    ),
)


def click_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a click command with every option of the table."""
    for option in reversed(OPTIONS):
        names = [f"--{option.name}", *([option.short] if option.short else [])]
        command = click.option(*names, option.dest, **_click_settings(option))(command)
    return command


def _click_settings(option: KitOption) -> dict[str, Any]:
    if option.flag:
        return {"is_flag": True, "help": option.help}
    if option.multiple:
        repeated: dict[str, Any] = {"multiple": True, "help": option.help, "metavar": option.shown}
        return repeated | ({"callback": _click_callback(option)} if option.convert is not None else {})
    settings: dict[str, Any] = {"help": option.help, "metavar": option.shown, "envvar": option.envvar}
    if option.default is not None:
        settings.update(default=option.default, show_default=True)
    if option.choices:
        settings["type"] = click.Choice(option.choices)
    elif option.type is not str or option.convert is not None or option.existing_file:
        settings.update(type=click.STRING, callback=_click_callback(option))  # the table parses the text
    return settings


def _click_callback(option: KitOption) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if isinstance(value, tuple):  # a repeatable option: each value parsed
            return [callback(ctx, param, each) for each in value]
        if value is None or not isinstance(value, str):
            return value
        try:
            return option.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


def add_pytest_options(add: Callable[..., Any]) -> None:
    """Add every option of the table through ``add`` (a pytest option group's ``addoption``) as ``--contract-*``."""
    for option in OPTIONS:
        names = [f"--contract-{option.name}", *option.plugin_aliases]
        if option.flag:
            add(*names, dest=f"contract_{option.dest}", action="store_true", help=option.help)
            continue
        if option.multiple:
            add(
                *names,
                dest=f"contract_{option.dest}",
                action="append",
                default=[],
                metavar=option.shown,
                type=_argparse_type(option) if option.convert is not None else str,
                help=option.help,
            )
            continue
        add(
            *names,
            dest=f"contract_{option.dest}",
            default=option.default,
            metavar=option.shown,
            type=_argparse_type(option),
            help=option.help + (f" (default: {option.default})" if option.default is not None else ""),
        )


def _argparse_type(option: KitOption) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return option.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = option.name  # argparse names the type in its messages
    return parse


def plugin_values(getoption: Callable[[str], Any]) -> dict[str, Any]:
    """The table's values as the plugin received them, by ``dest``; an unset option falls back to its envvar."""
    values = {option.dest: getoption(f"contract_{option.dest}") for option in OPTIONS}
    for option in OPTIONS:
        if values[option.dest] is None and option.envvar:
            values[option.dest] = os.environ.get(option.envvar)
    return values
