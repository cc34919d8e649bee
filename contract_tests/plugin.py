"""pytest plugin: ``pytest --contract-base-url URL --contract-api-key KEY`` adds one test per contract check.

Registered as the ``pytest11`` entry point ``contract_tests``, so any suite of a project that installs the kit
can run the checks next to its own tests (``-m contract`` selects only them), in parallel with pytest-xdist:
each worker reads the data sample once and runs the checks it is given. Without ``--contract-base-url`` the
plugin adds nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from contract_tests.interface import add_pytest_options, open_context, plugin_values, run_options, secrets
from contract_tests.judging.context import Context
from contract_tests.judging.selection import check_names, comma_separated, load_checks_modules, select_checks
from contract_tests.repeat import repeat_command
from contract_tests.reporting.plain import merged, outcome_of, plain_outcome
from contract_tests.reporting.redaction import redact
from contract_tests.reporting.report_file import check_report_paths, write_reports
from contract_tests.reporting.step_summary import append_step_summary
from contract_tests.reporting.text import coverage, describe, repeat
from contract_tests.running.records import Options, Outcome
from contract_tests.running.runner import run, with_seed
from customers_spec import load_spec
from customers_spec.errors import KitError

MARKER = "contract"
CONTEXT = pytest.StashKey[Context | KitError]()
OUTCOMES = pytest.StashKey[list[Outcome]]()
OPTIONS = pytest.StashKey[Options]()
WORKER_OUTPUT = "contract_tests_outcomes"
SEED_INPUT = "contract_tests_seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Every option of the CLI as ``--contract-*``, from the one table in ``contract_tests.interface``."""
    group = parser.getgroup("contract-tests", "contract tests of a running Customers API (GET /v2/customers)")
    add_pytest_options(group.addoption)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: a contract check of a running API (contract-tests plugin)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """One item per selected check, added before ``-m``/``-k`` deselect, in the same order on every worker."""
    if not config.getoption("contract_base_url"):
        return
    try:
        check_report_paths(config.getoption("contract_report") or [])
        load_checks_modules(comma_separated(config.getoption("contract_checks_module")))
        checks = select_checks(
            check_names(config.getoption("contract_checks")),
            check_names(config.getoption("contract_exclude_checks")) or (),
        )
    except KitError as exc:
        raise pytest.UsageError(str(exc)) from None
    items.extend(
        ContractCheck.from_parent(session, name=f"contract[{check.name}]", check=check.name) for check in checks
    )


class ContractFailed(AssertionError):
    """The check found violations; the message is the report, already free of the key."""


class ContractCheck(pytest.Item):
    """One named check of the kit, run on generated requests against the API under test."""

    def __init__(self, *, check: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.add_marker(MARKER)

    def runtest(self) -> None:
        ctx = _context(self.config)
        outcome = run(ctx, select_checks([self.check]), _options(self.config))
        values = _values(self.config)
        outcome.command = repeat_command(
            values, outcome.seed, program="pytest", prefix="--contract-", secrets=_secrets(self.config)
        )
        self.config.stash.setdefault(OUTCOMES, []).append(outcome)
        secret = _secrets(self.config)
        covered = f"{coverage(outcome)}\n{repeat(outcome)}"
        self.add_report_section("call", "coverage", redact(covered, secret))  # shown with -rA, on failure
        if outcome.error is not None:
            pytest.fail(redact(f"could not test: {outcome.error}", secret), pytrace=False)
        if outcome.failures:
            header = ctx.spec.api_key_header
            report = "\n\n".join(describe(failure, header) for failure in outcome.failures)
            raise ContractFailed(redact(report, secret))
        if not outcome.passed[self.check]:
            pytest.skip(f"no generated request was one that {self.check} judges")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ContractFailed | KitError):
            return redact(str(excinfo.value), _secrets(self.config))
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"contract check {self.check}"


def _context(config: pytest.Config) -> Context:
    """The worker's context, read once; a server that cannot be reached fails every check alike."""
    if CONTEXT not in config.stash:
        values = _values(config)
        try:
            config.stash[CONTEXT] = open_context(values, load_spec(values["spec"]))
        except KitError as exc:
            config.stash[CONTEXT] = exc
    found = config.stash[CONTEXT]
    if isinstance(found, KitError):
        pytest.fail(redact(f"could not test: {found}", _secrets(config)), pytrace=False)
    return found


def _values(config: pytest.Config) -> dict[str, Any]:
    return plugin_values(config.getoption)


def _options(config: pytest.Config) -> Options:
    """The run's options, the seed drawn once per session (every check, every xdist worker given
    ``--contract-seed`` alike) so one command repeats them all."""
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


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker runs with the controller's seed."""
    if node.config.getoption("contract_base_url"):
        node.workerinput[SEED_INPUT] = _options(node.config).seed


def _secrets(config: pytest.Config) -> dict[str, str]:
    """Every secret of the options (the key, the gateway's headers) with what reports write instead."""
    return secrets(_values(config))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the report (and the GitHub step summary) of every check run; an xdist worker hands its part over."""
    config = session.config
    outcomes = config.stash.get(OUTCOMES, [])
    if not outcomes:
        return
    header, secret = load_spec(_values(config)["spec"]).api_key_header, _secrets(config)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller writes the report
        output = config.workeroutput  # type: ignore[attr-defined]
        output[WORKER_OUTPUT] = [plain_outcome(each, header, secret) for each in outcomes]
        return
    outcome = merged(outcomes)
    title = f"contract-tests: {config.getoption('contract_base_url')}"
    reports = config.getoption("contract_report") or []
    if reports:
        write_reports(outcome, [Path(report) for report in reports], header, secret, title=title)
    append_step_summary(outcome, header, secret, title=title)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: a worker finished; keep the outcomes of the checks it ran for the controller's report."""
    plain = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT, [])
    node.config.stash.setdefault(OUTCOMES, []).extend(outcome_of(each) for each in plain)
