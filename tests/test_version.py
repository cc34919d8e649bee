"""Both console scripts tell the installed package's version, as Prism and Schemathesis do."""

from __future__ import annotations

from importlib import metadata

import click
import pytest
from click.testing import CliRunner

from contract_tests.cli import main as contract_tests_main
from mockserver.cli import main as mockserver_main


@pytest.mark.parametrize(("name", "main"), [("mockserver", mockserver_main), ("contract-tests", contract_tests_main)])
def test_version_is_the_installed_package_version(name: str, main: click.Command) -> None:
    result = CliRunner().invoke(main, ["--version"])

    assert result.exit_code == 0, result.output
    assert result.output == f"{name}, version {metadata.version('customers-api-kit')}\n"
