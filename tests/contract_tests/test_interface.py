"""One interface: the pytest plugin takes every option of the CLI, with the same defaults and the same checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from contract_tests import plugin
from contract_tests.cli import main
from contract_tests.interface import OPTIONS, KitOption, plugin_values
from contract_tests.invocation import run_options
from contract_tests.running.profiles import CI_PROFILE

CLI_ONLY = {"list_checks", "junit_xml", "help", "version"}  # pytest lists tests with --collect-only and has --junitxml


class RecordingParser:
    """Stands in for pytest's parser: records what the plugin's ``pytest_addoption`` adds."""

    def __init__(self) -> None:
        self.added: dict[str, dict[str, Any]] = {}

    def getgroup(self, name: str, description: str = "") -> RecordingParser:
        return self

    def addoption(self, *names: str, **settings: Any) -> None:
        for name in names:
            self.added[name] = settings


def test_the_plugin_takes_every_cli_option_with_the_same_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("API_KEY", raising=False)
    parser = RecordingParser()
    plugin.pytest_addoption(parser)  # type: ignore[arg-type]
    cli = {param.name: param for param in main.params if isinstance(param, click.Option)}
    defaults = main.make_context("contract-tests", []).params  # as the command receives them, parsed
    shared = sorted(set(cli) - CLI_ONLY)
    assert len(shared) == len(OPTIONS) >= 16
    for name in shared:
        flag = cli[name].opts[0].removeprefix("--")
        added = parser.added.get(f"--contract-{flag}")
        assert added is not None, f"the plugin has no --contract-{flag}"
        assert added["dest"] == f"contract_{name}"
        if cli[name].is_flag:
            assert added["action"] == "store_true"
        elif cli[name].multiple:
            assert added["action"] == "append" and list(added["default"]) == list(defaults[name]) == []
        else:
            assert added["default"] == defaults[name], f"--{flag} and --contract-{flag} default differently"
    assert parser.added["--contract-max-examples"]["default"] == 100
    assert "--contract-profile" in parser.added  # the plugin's earlier name still works


def test_the_plugin_parses_and_checks_values_as_the_cli_does(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfig("--contract-rate-limit", "120/m", "--contract-workers", "4", "--contract-no-shrink")
    assert config.getoption("contract_rate_limit") == 2.0
    assert config.getoption("contract_workers") == 4 and config.getoption("contract_no_shrink") is True
    assert config.getoption("contract_max_time") is None and config.getoption("contract_link_origin") is None
    with pytest.raises(pytest.UsageError, match="must be at least 1"):
        pytester.parseconfig("--contract-workers", "0")
    result = CliRunner().invoke(main, ["--workers", "0"])
    assert result.exit_code == 2 and "must be at least 1" in result.output


def _option(name: str) -> KitOption:
    return next(option for option in OPTIONS if option.name == name)


def test_each_option_parses_its_text_and_says_what_it_expects(tmp_path: Path) -> None:
    assert _option("max-examples").parse("5") == 5 and _option("max-examples").dest == "max_examples"
    with pytest.raises(ValueError, match="must be at least 1, not 0"):
        _option("max-examples").parse("0")
    assert _option("rate-limit").parse("120/m") == 2.0
    with pytest.raises(ValueError, match="must be one of ci, default, not fast"):
        _option("hypothesis-profile").parse("fast")
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text("openapi: 3.1.0\n")
    assert _option("spec").parse(str(spec_file)) == spec_file
    with pytest.raises(ValueError, match="no such file"):
        _option("spec").parse(str(tmp_path / "missing.yaml"))
    shown = [_option(name).shown for name in ("base-url", "hypothesis-profile", "spec", "timeout", "seed", "checks")]
    assert shown == ["URL", "[ci|default]", "FILE", "NUMBER", "INTEGER", "A,B"]


def test_the_plugins_values_fall_back_to_the_environment_and_make_the_runs_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("API_KEY", "from-the-environment")
    given = {"contract_max_examples": 7, "contract_hypothesis_profile": "ci", "contract_workers": 2}
    values = plugin_values(lambda dest: given.get(dest, _option(dest[len("contract_") :].replace("_", "-")).default))
    assert values["api_key"] == "from-the-environment" and values["max_examples"] == 7
    options = run_options(values)
    assert (options.max_examples, options.profile, options.workers, options.shrink) == (7, CI_PROFILE, 2, True)


def test_the_secret_options_are_flagged() -> None:
    """A repeat command masks the flagged options (their values become variables: test_invocation)."""
    assert {option.name for option in OPTIONS if option.secret} == {"api-key", "header", "bearer", "client-key"}


def test_the_header_option_is_repeatable_and_parsed_in_both(pytester: pytest.Pytester) -> None:
    result = CliRunner().invoke(main, ["--base-url", "http://127.0.0.1:9", "--api-key", "k", "-H", "no colon"])
    assert result.exit_code == 2 and "expected 'Name: value'" in result.output
    pytester.makepyfile("def test_own(): pass")
    refused = pytester.runpytest("--contract-base-url", "http://127.0.0.1:9", "--contract-header", "no colon")
    assert refused.ret == 4 and "expected 'Name: value'" in refused.stderr.str()
