"""The pytest plugin: ``pytest --contract-base-url URL`` adds one test per check, also under pytest-xdist, and
sends the requests ``contract-tests`` sends for the same options (one shared run, not one per check)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from contract_tests.cli import main
from contract_tests.judging.selection import select_checks
from contract_tests.running.operations import plan
from customers_spec import load_api
from selftest.faults import FAULTS
from tests.contract_tests.conftest import API_KEY, serving

pytestmark = pytest.mark.slow

FEW = ("--contract-max-examples", "20", "--contract-profile", "ci", "-p", "no:cacheprovider")


def _list_checks() -> list[str]:
    """The checks that judge the shipped spec's one operation (a list): the others judge items, sub-collections."""
    return [check.name for check in plan(load_api(), select_checks())[0].checks]


def test_without_a_base_url_the_plugin_adds_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_own(): pass")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_each_check_is_a_test_next_to_the_suites_own(pytester: pytest.Pytester, mock_app: Callable[..., Any]) -> None:
    pytester.makepyfile("def test_own(): pass")
    with serving(mock_app()) as base_url:
        result = pytester.runpytest(
            "--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-invalid-api-key-rejected", *FEW
        )
        only_contract = pytester.runpytest("--contract-base-url", base_url, "-m", "contract", "-v", *FEW)
    checks = len(_list_checks())
    outcomes = result.parseoutcomes()  # each check passed, or skipped when 20 examples gave it nothing to judge
    assert outcomes.get("passed", 0) + outcomes.get("skipped", 0) == checks + 1, outcomes  # and the suite's own
    assert "failed" not in outcomes, outcomes
    only_contract.assert_outcomes(failed=checks)  # no key given: the sample cannot even be read
    only_contract.stdout.fnmatch_lines(["*contract?filters_hold?*FAILED*", "*could not test: the server refused*"])


def test_violations_fail_their_check_with_a_curl_and_no_key(
    pytester: pytest.Pytester, mock_app: Callable[..., Any]
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "Link prev missing")
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        result = pytester.runpytest(
            "--contract-base-url",
            base_url,
            "--contract-api-key",
            API_KEY,
            "--contract-checks",
            "link_header,page_size",
            "--contract-max-examples",
            "60",  # the telling values area takes a share of every run: paging requests need the room
            "--contract-seed",
            "1",
            "-p",
            "no:cacheprovider",
            "--junitxml",
            "junit.xml",
        )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*link_header: Link header does not lead to the neighbouring pages*", '*-H "x-API-Key: $API_KEY"*']
    )
    result.stdout.fnmatch_lines(["*Captured coverage call*", "covered: * examples in * areas, * HTTP requests*"])
    assert API_KEY not in result.stdout.str() + (pytester.path / "junit.xml").read_text()


def test_checks_run_in_parallel_under_xdist(
    pytester: pytest.Pytester, mock_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # start faster: load just the two plugins needed
    with serving(mock_app()) as base_url:
        result = pytester.runpytest_subprocess(
            *("-p", "xdist.plugin", "-p", "contract_tests.plugin", "-n", "2"),
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, *FEW),
        )
    outcomes = result.parseoutcomes()  # each check passed, or skipped when 20 examples gave it nothing to judge
    assert outcomes.get("passed", 0) + outcomes.get("skipped", 0) == len(_list_checks()), outcomes
    assert "failed" not in outcomes, outcomes
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_an_unknown_check_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--contract-base-url", "http://127.0.0.1:9", "--contract-checks", "nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown check(s): nope*"])


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_the_plugin_writes_one_report_of_every_check(
    workers: list[str],
    pytester: pytest.Pytester,
    mock_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    report, summary = tmp_path / "plugin.json", tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    with serving(fault.wrap(mock_app())) as base_url:  # type: ignore[misc]
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-report", str(report)),
            *(
                "--contract-checks",
                "response_schema,content_type,status_code_documented",
                "--contract-max-examples",
                "10",
            ),
            *("--contract-profile", "ci", "-p", "no:cacheprovider", *workers),
        )
    result.assert_outcomes(passed=2, failed=1)
    document = orjson.loads(report.read_bytes())
    assert sorted(check["name"] for check in document["checks"]) == [
        "content_type",
        "response_schema",
        "status_code_documented",
    ]
    assert [failure["check"] for failure in document["failures"]] == ["response_schema"]
    assert document["failures"][0]["exchange"]["status"] == 200
    assert "| `content_type` |" in summary.read_text()
    assert API_KEY not in report.read_text() + summary.read_text()


def counting(app: Any, requests: list[str]) -> Any:
    """``app``, noting the path of every request it is sent (the server side's count)."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        requests.append(environ["PATH_INFO"])
        return app(environ, start_response)

    return wrapped


SAME = {"max-examples": "25", "seed": "7", "checks": "filters_hold,sort_order,page_size,response_schema,auth_enforced"}


def options(values: dict[str, str], prefix: str) -> list[str]:
    return [text for name, value in values.items() for text in (prefix + name, value)]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_the_plugin_sends_the_requests_the_cli_sends(
    workers: list[str], pytester: pytest.Pytester, mock_app: Callable[..., Any]
) -> None:
    """One run for all the items: the same requests as the CLI (within 10%), not one exploration per check."""
    by_cli: list[str] = []
    by_plugin: list[str] = []
    with serving(counting(mock_app(), by_cli)) as base_url:
        cli = CliRunner().invoke(main, ["--base-url", base_url, "--api-key", API_KEY, *options(SAME, "--")])
    with serving(counting(mock_app(), by_plugin)) as base_url:
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "-p", "no:cacheprovider", *workers),
            *options(SAME, "--contract-"),
        )
    assert cli.exit_code == 0, cli.output
    result.assert_outcomes(passed=5)
    reported = int(re.search(r"(\d+) HTTP requests", cli.output).group(1))  # type: ignore[union-attr]
    by_cli, by_plugin = (
        [path for path in by_cli if path != "/openapi.yaml"],
        [p for p in by_plugin if p != "/openapi.yaml"],
    )
    assert len(by_cli) == reported  # serving() asked for /openapi.yaml until the server answered
    assert abs(len(by_plugin) - len(by_cli)) <= 0.1 * len(by_cli), (len(by_plugin), len(by_cli))


def test_items_have_a_file_node_id_a_junit_classname_and_are_counted(
    pytester: pytest.Pytester, mock_app: Callable[..., Any]
) -> None:
    pytester.makepyfile("def test_own(): pass")
    with serving(mock_app()) as base_url:
        result = pytester.runpytest(
            *(
                "--contract-base-url",
                base_url,
                "--contract-api-key",
                API_KEY,
                "--contract-checks",
                "page_size,link_header",
            ),
            *("-v", "--junitxml", "junit.xml", *FEW),
        )
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*collected 3 items",
            "customers.yaml::listCustomers::contract[[]page_size[]] PASSED*",
            "customers.yaml::listCustomers::contract[[]link_header[]] PASSED*",
        ]
    )
    junit = (pytester.path / "junit.xml").read_text()
    assert '<testcase classname="customers.yaml.listCustomers" name="contract[page_size]"' in junit
    assert 'classname=""' not in junit


def test_a_spec_inside_the_rootdir_names_the_items_by_its_path(
    pytester: pytest.Pytester, mock_app: Callable[..., Any]
) -> None:
    from customers_spec.resources import spec_path

    (pytester.path / "openapi").mkdir()
    (pytester.path / "openapi" / "customers.yaml").write_text(spec_path().read_text())
    with serving(mock_app()) as base_url:
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-checks", "page_size"),
            *("--contract-spec", "openapi/customers.yaml", "--collect-only", "-q", *FEW),
        )
    result.stdout.fnmatch_lines(["openapi/customers.yaml::listCustomers::contract[[]page_size[]]", "1 test collected*"])


def test_one_drawn_seed_runs_every_check_and_worker_and_is_shown(
    pytester: pytest.Pytester, mock_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    html, report = tmp_path / "plugin.html", tmp_path / "plugin.json"
    with serving(mock_app()) as base_url:
        result = pytester.runpytest_subprocess(
            *("-p", "xdist.plugin", "-p", "contract_tests.plugin", "-n", "2", "-p", "no:cacheprovider"),
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-max-examples", "5"),
            *("--contract-checks", "page_size,content_type", "--contract-report", str(html)),
            *("--contract-report", str(report)),
        )
    header = next(line for line in result.outlines if line.startswith("contract-tests: seed "))
    seed = int(header.split()[2])
    document = orjson.loads(report.read_bytes())
    assert document["run"]["seed"] == seed, "the workers ran with the controller's seed"
    assert f"--contract-seed {seed}" in document["run"]["command"]
    assert '--contract-api-key "$API_KEY"' in document["run"]["command"]
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert API_KEY not in result.stdout.str() + report.read_text() + html.read_text()


def test_every_operation_of_the_spec_is_a_collector_of_its_checks(
    pytester: pytest.Pytester, mock_app: Callable[..., Any]
) -> None:
    from tests.conftest import EXAMPLE_SPEC

    with serving(mock_app(spec=EXAMPLE_SPEC)) as base_url:
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, f"--contract-spec={EXAMPLE_SPEC}"),
            *("--contract-operations", "getCustomer,GET /v2/customers/{customerId}/objects"),
            *("--contract-checks", "item_is_listed,items_belong_to_parent,response_schema", "-v", *FEW),
        )
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*collected 4 items",
            "customers-and-sites.yaml::getCustomer::contract[[]response_schema[]] PASSED*",
            "customers-and-sites.yaml::getCustomer::contract[[]item_is_listed[]] PASSED*",
            "customers-and-sites.yaml::listCustomerObjects::contract[[]response_schema[]] PASSED*",
            "customers-and-sites.yaml::listCustomerObjects::contract[[]items_belong_to_parent[]] PASSED*",
        ]
    )
    unknown = pytester.runpytest(
        *("--contract-base-url", base_url, f"--contract-spec={EXAMPLE_SPEC}", "--contract-operations", "getCustomr")
    )
    assert unknown.ret == pytest.ExitCode.USAGE_ERROR
    unknown.stderr.fnmatch_lines(["*no operation 'getCustomr'*getCustomer*"])
