"""A team's own checks: the README's example, loaded by the CLI, the pytest plugin, the proxy and entry points."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from contract_tests.cli import main
from contract_tests.judging.selection import load_checks_module, select_checks
from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from customers_spec import Spec
from customers_spec.datafile import Dataset
from tests.contract_tests.conftest import API_KEY, serving

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("registry_restored")]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "team_checks.py"
TEAM = "debitor_number_unique,vat_number_for_company"


@pytest.fixture
def company_without_vat(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> str:
    """A company with a customer that has no VAT number, named to the example's check."""
    company = next(each["companyId"] for each in dataset.customers if not each.get("vatNumber"))
    monkeypatch.setenv("VAT_REQUIRED_COMPANY", company)
    return company


def test_the_readme_shows_the_example_file_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n# examples/team_checks\.py\n(.*?)```", readme, re.DOTALL)
    assert blocks == [EXAMPLE.read_text()], "README's example differs from examples/team_checks.py"


def test_the_cli_lists_selects_and_reports_a_teams_checks(
    company_without_vat: str, mock_app: Callable[..., Any], tmp_path: Path
) -> None:
    listed = CliRunner().invoke(main, ["--checks-module", str(EXAMPLE), "--list-checks"])
    assert listed.exit_code == 0 and "vat_number_for_company" in listed.output
    assert "No two customers of a page share a debitorNumber." in listed.output
    report = tmp_path / "report.json"
    with serving(mock_app()) as base_url:
        result = CliRunner().invoke(
            main,
            [
                *("--base-url", base_url, "--api-key", API_KEY, "--checks-module", str(EXAMPLE), "--checks", TEAM),
                *("--max-examples", "20", "--hypothesis-profile", "ci", "--report", str(report)),
            ],
        )
    assert result.exit_code == 1, result.output
    assert "FAILED vat_number_for_company: a customer of the company has no VAT number" in result.output
    assert f"of company {company_without_vat}" in result.output
    assert re.search(r"debitor_number_unique\s+\d+\s+0\s+0\s+ok", result.output), result.output
    assert '"check": "vat_number_for_company"' in report.read_text()


def test_the_plugin_runs_a_teams_checks_as_items(
    pytester: pytest.Pytester, company_without_vat: str, mock_app: Callable[..., Any]
) -> None:
    pytester.makepyfile("def test_own(): pass")
    with serving(mock_app()) as base_url:
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-checks", TEAM),
            *(f"--contract-checks-module={EXAMPLE}", "--contract-max-examples", "20", "--contract-profile", "ci"),
            *("-p", "no:cacheprovider", "-v"),
        )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["*contract?debitor_number_unique?*PASSED*", "*contract?vat_number_for_company?*FAILED*"]
    )


def test_the_proxy_judges_with_a_teams_checks(
    spec: Spec, company_without_vat: str, dataset: Dataset, mock_app: Callable[..., Any]
) -> None:
    load_checks_module(str(EXAMPLE))
    offender = next(
        each for each in dataset.customers if each["companyId"] == company_without_vat and not each.get("vatNumber")
    )
    with serving(mock_app()) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks(TEAM.split(","))))
        with serving(ProxyApp(judge)) as proxy_url:
            answer = requests.get(
                f"{proxy_url}{spec.path}?ids={offender['_id']}", headers={"x-API-Key": API_KEY}, timeout=10
            )
    assert answer.status_code == 200 and answer.headers[VIOLATIONS_HEADER] == "1; vat_number_for_company"
    assert not judge.verdict_cache, "a team's checks may keep state: every answer is judged afresh"
    assert judge.outcome.passed["debitor_number_unique"] + judge.outcome.failed["vat_number_for_company"] >= 1
