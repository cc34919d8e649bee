"""pytest plugin: ``pytest --contract-base-url URL --contract-api-key KEY`` adds one test per operation and check.

Registered as the ``pytest11`` entry point ``contract_tests``, so any suite of a project that installs the kit
can run the checks next to its own tests (``-m contract`` selects only them). The items are collected under the
spec file and the operation (``customers.yaml::listCustomers::contract[sort_order]``), so pytest counts them,
names them in JUnit and selects them like any other. They share one run (``contract_tests.plugin_run``): the
same requests as ``contract-tests`` with the same options, also under pytest-xdist. Without
``--contract-base-url`` the plugin adds nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from contract_tests.interface import add_pytest_options, plugin_values
from contract_tests.invocation import chosen_api, run_options, secrets
from contract_tests.judging.selection import check_names, comma_separated, load_checks_modules, select_checks
from contract_tests.plugin_rootdir import check_rootdir
from contract_tests.plugin_run import Verdicts, run_checks, shared_verdicts, verdict_key
from contract_tests.repeat import repeat_command
from contract_tests.reporting.plain import merged, outcome_of, plain_outcome
from contract_tests.reporting.redaction import redact
from contract_tests.reporting.report_file import check_report_paths, write_reports
from contract_tests.reporting.step_summary import append_step_summary
from contract_tests.running.operations import plan
from contract_tests.running.records import Options, Outcome
from contract_tests.running.runner import with_seed
from customers_spec.errors import KitError
from customers_spec.resources import spec_path

MARKER = "contract"
# per operation checked: its operationId, its label and the selected checks that judge it (when active)
PLAN = pytest.StashKey[tuple[tuple[str, str, tuple[str, ...]], ...]]()
HEADER = pytest.StashKey[str]()  # the spec's API key header, as reports write it
VERDICTS = pytest.StashKey[Verdicts]()
OUTCOMES = pytest.StashKey[list[Outcome]]()
SHARED_DIR = pytest.StashKey[Path]()
OPTIONS = pytest.StashKey[Options]()
WORKER_INPUT, WORKER_OUTPUT = "contract_tests_shared_dir", "contract_tests_outcomes"
SEED_INPUT = "contract_tests_seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Every option of the CLI as ``--contract-*``, from the one table in ``contract_tests.interface``."""
    group = parser.getgroup("contract-tests", "contract tests of a running API, every operation of its spec")
    add_pytest_options(group.addoption)


def pytest_configure(config: pytest.Config) -> None:
    """Check the options and load a team's checks once, before collection, so a mistake is a usage error."""
    config.addinivalue_line("markers", f"{MARKER}: a contract check of a running API (contract-tests plugin)")
    if not config.getoption("contract_base_url"):
        return
    try:
        if not hasattr(config, "workerinput"):
            check_rootdir(config)
        check_report_paths(config.getoption("contract_report") or [])
        load_checks_modules(comma_separated(config.getoption("contract_checks_module")))
        checks = select_checks(
            check_names(config.getoption("contract_checks")),
            check_names(config.getoption("contract_exclude_checks")) or (),
        )
        api, selected = chosen_api(_values(config))
    except KitError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[PLAN] = tuple(
        (each.operation.operation_id, each.operation.label, tuple(check.name for check in each.checks))
        for each in plan(selected, checks)
        if each.checks
    )
    config.stash[HEADER] = api.api_key_header


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, pytest.CollectReport, Any]:
    """Add the spec file to what the session collects, so its items are counted and reported like any test's."""
    report = yield
    config = collector.config
    if isinstance(collector, pytest.Session) and report.passed and PLAN in config.stash:
        path = Path(config.getoption("contract_spec") or spec_path()).absolute()
        report.result.append(ContractSpec.from_parent(collector, path=path, nodeid=_nodeid(path, config.rootpath)))
    return report


def _nodeid(path: Path, rootpath: Path) -> str:
    """The spec's path from the rootdir, or its name when it lies elsewhere (the installed kit's copy)."""
    return path.relative_to(rootpath).as_posix() if path.is_relative_to(rootpath) else path.name


class ContractSpec(pytest.File):
    """The spec file as a collector: one collector per operation checked."""

    def collect(self) -> Iterator[pytest.Collector]:
        for operation_id, label, checks in self.config.stash[PLAN]:
            yield ContractOperation.from_parent(self, name=operation_id, label=label, checks=checks)


class ContractOperation(pytest.Collector):
    """One operation of the spec: one item per selected check that judges it."""

    def __init__(self, *, label: str, checks: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label, self.checks = label, checks

    def collect(self) -> Iterator[pytest.Item]:
        for name in self.checks:
            yield ContractCheck.from_parent(self, name=f"contract[{name}]", check=name, operation=self.label)


class ContractFailed(AssertionError):
    """The check found violations; the message is the report, already free of the key."""


class ContractCheck(pytest.Item):
    """One named check of the kit: its verdict in the session's one run."""

    def __init__(self, *, check: str, operation: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check, self.operation = check, operation
        self.add_marker(MARKER)

    def runtest(self) -> None:
        verdicts = _verdicts(self.session)
        self.add_report_section("call", "coverage", verdicts.coverage)  # shown with -rA, and on failure
        if verdicts.error is not None:
            pytest.fail(_could_not(verdicts.error), pytrace=False)
        key = verdict_key(self.operation, self.check)
        failures = verdicts.failures.get(key)
        if failures:
            raise ContractFailed("\n\n".join(failures))
        if not verdicts.judged.get(key):
            pytest.skip(f"no generated request to {self.operation} was one that {self.check} judges")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ContractFailed | KitError):
            return redact(str(excinfo.value), _secrets(self.config))
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"contract check {self.check} of {self.operation}"


def _verdicts(session: pytest.Session) -> Verdicts:
    """The session's one run of every contract item it runs (after -k/-m), started by the first such item."""
    config = session.config
    if VERDICTS not in config.stash:
        items = [item for item in session.items if isinstance(item, ContractCheck)]
        checks = list(dict.fromkeys(item.check for item in items))
        operations = list(dict.fromkeys(item.parent.name for item in items if item.parent is not None))
        values = _values(config)

        def run_here() -> Verdicts:
            options = _options(config)
            command = repeat_command(
                values, options.seed, program="pytest", prefix="--contract-", secrets=_secrets(config)
            )
            verdicts, outcome = run_checks(values, checks, options, command, operations=operations)
            if outcome is not None:
                config.stash.setdefault(OUTCOMES, []).append(outcome)
            return verdicts

        shared = getattr(config, "workerinput", {}).get(WORKER_INPUT)
        config.stash[VERDICTS] = shared_verdicts(Path(shared), run_here)[0] if shared else run_here()
    return config.stash[VERDICTS]


def _could_not(error: str) -> str:
    """Why every item fails: the run could not test, or it says itself that it could not judge."""
    return error if error.startswith("COULD NOT JUDGE") else f"could not test: {error}"


def _values(config: pytest.Config) -> dict[str, Any]:
    return plugin_values(config.getoption)


def _secrets(config: pytest.Config) -> dict[str, str]:
    """Every secret of the options (the key, the gateway's headers) with what reports write instead."""
    return secrets(_values(config))


def _options(config: pytest.Config) -> Options:
    """The run's options, the seed drawn once per session (every xdist worker given the controller's) so one
    command repeats the run."""
    if OPTIONS not in config.stash:
        options = run_options(_values(config))
        drawn = getattr(config, "workerinput", {}).get(SEED_INPUT)  # an xdist worker: the controller's seed
        config.stash[OPTIONS] = with_seed(replace(options, seed=drawn) if options.seed is None else options)
    return config.stash[OPTIONS]


def pytest_report_header(config: pytest.Config) -> str | None:
    """The seed the contract checks run with (drawn when not given), in pytest's header."""
    if not config.getoption("contract_base_url"):
        return None
    seed = _options(config).seed
    return f"contract-tests: seed {seed} (repeat with --contract-seed {seed})" if seed is not None else None


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the report (and the GitHub step summary) of the run; an xdist worker hands its outcome over."""
    config = session.config
    outcomes = config.stash.get(OUTCOMES, [])
    if not outcomes:
        return
    header, secret = config.stash.get(HEADER, ""), _secrets(config)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller writes the report
        output = config.workeroutput  # type: ignore[attr-defined]
        output[WORKER_OUTPUT] = [plain_outcome(each, header, secret) for each in outcomes]
        return
    outcome = outcomes[0] if len(outcomes) == 1 else merged(outcomes)
    title = f"contract-tests: {config.getoption('contract_base_url')}"
    reports = config.getoption("contract_report") or []
    if reports:
        write_reports(outcome, [Path(report) for report in reports], header, secret, title=title)
    append_step_summary(outcome, header, secret, title=title)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: give every worker the same directory, where the first to need the run runs it for all, and
    the controller's seed."""
    config = node.config
    if PLAN in config.stash:
        if SHARED_DIR not in config.stash:
            config.stash[SHARED_DIR] = Path(tempfile.mkdtemp(prefix="contract-tests-"))
        node.workerinput[WORKER_INPUT] = str(config.stash[SHARED_DIR])
        node.workerinput[SEED_INPUT] = _options(config).seed


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: a worker finished; keep the outcome of the run if it ran it, for the controller's report."""
    plain = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT, [])
    node.config.stash.setdefault(OUTCOMES, []).extend(outcome_of(each) for each in plain)


def pytest_unconfigure(config: pytest.Config) -> None:
    if SHARED_DIR in config.stash:
        shutil.rmtree(config.stash[SHARED_DIR], ignore_errors=True)
