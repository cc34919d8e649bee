"""The command that repeats a run: the options given (defaults left out), the seed, never a secret's value."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from contract_tests import interface, invocation
from contract_tests.repeat import MASK, repeat_command

SECRET = "s3cr3t-key-value"


def test_only_what_differs_from_the_defaults_is_written_with_the_seed() -> None:
    values = {
        "base_url": "http://h:1/api path",
        "api_key": SECRET,
        "max_examples": 100,  # the default
        "timeout": 2.5,
        "no_shrink": True,
        "report": ["a.html", "b.json"],
        "data": Path("d.json"),
        "rate_limit": 5000 / 3600,
    }
    command = repeat_command(values, 42, extra=[("junit-xml", Path("j.xml")), ("list-checks", False)])
    assert command == (
        "contract-tests --base-url 'http://h:1/api path' --api-key \"$API_KEY\" --seed 42 --timeout 2.5"
        " --data d.json --no-shrink --rate-limit 1.3888888888888888 --report a.html --report b.json --junit-xml j.xml"
    )
    assert SECRET not in command
    assert interface.OPTIONS[0].parse("x") == "x"  # the table parses what the command writes back
    rate = next(option for option in interface.OPTIONS if option.name == "rate-limit")
    assert rate.parse("1.3888888888888888") == 5000 / 3600


def test_the_plugin_writes_its_own_option_names() -> None:
    command = repeat_command({"base_url": "http://h", "api_key": SECRET}, 7, program="pytest", prefix="--contract-")
    assert command == 'pytest --contract-base-url http://h --contract-api-key "$API_KEY" --contract-seed 7'


def test_a_secret_without_a_variable_is_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any option flagged secret in the table (a header, say), not only the key."""
    options = tuple(
        replace(option, secret=True, envvar=None) if option.name == "link-origin" else option
        for option in interface.OPTIONS
    )
    monkeypatch.setattr("contract_tests.repeat.OPTIONS", options)
    command = repeat_command({"link_origin": "https://token@example.com"}, None)
    assert command == f"contract-tests --link-origin {MASK}" and "token" not in command


def test_a_gateway_header_is_written_with_the_variable_reports_use() -> None:
    values = {"base_url": "http://h", "api_key": SECRET, "header": [("X-Tenant", "acme-tenant-42")], "bearer": None}
    command = repeat_command(values, 1, secrets=invocation.secrets(values))
    assert '--header "X-Tenant: $X_TENANT"' in command and "acme-tenant-42" not in command
