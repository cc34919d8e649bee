"""The pytest plugin's one run: every contract item of a session reads its verdict from a single shared run.

A run explores the selected checks together, as ``contract-tests`` does: one Hypothesis exploration whose
requests every check judges. Running it once per item would send the same kind of requests once per check
(2.5x the CLI's requests for the same options). So the first contract item to run starts the run for all the
session's contract items (those left after ``-k``/``-m``), and each item reports its own check's verdict.

Under pytest-xdist the workers share it through a directory the controller gives them: the first worker to
reach a contract item creates the lock file and runs; the others wait for its verdicts file. One run, whatever
the number of workers; only that worker's outcome goes into the report.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from contract_tests.invocation import chosen_api, open_context, secrets
from contract_tests.judging.selection import select_checks
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.reporting.summary import verdict
from contract_tests.reporting.text import coverage, describe, repeat
from contract_tests.running.operations import run_api
from contract_tests.running.records import Options, Outcome
from customers_spec.errors import KitError

LOCK_NAME, VERDICTS_NAME = "run.lock", "verdicts.json"
POLL_S = 0.1


@dataclass
class Verdicts:
    """What each check of the run found, as text already free of the key (JSON, to cross to other workers)."""

    error: str | None = None  # the run could not test: every item fails with it
    coverage: str = ""
    # per operation and check (``verdict_key``): requests it judged (passed or failed), each failure described
    judged: dict[str, int] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return orjson.dumps(self.__dict__)

    @classmethod
    def from_json(cls, raw: bytes) -> Verdicts:
        return cls(**orjson.loads(raw))


def verdict_key(operation: str, check: str) -> str:
    """The key of one operation's check in ``Verdicts`` (the operation as reports name it; the check alone for
    an outcome that names none)."""
    return f"{operation}::{check}" if operation else check


def verdicts_of(outcome: Outcome, header: str, secret: Secret) -> Verdicts:
    """Each check's part of ``outcome``, described as the CLI describes it; a run that could not test, or could
    not judge (most comparisons unsettled: the CLI's exit 2), fails every item with why."""
    failures: dict[str, list[str]] = {}
    for failure in outcome.failures:
        key = verdict_key(failure.operation, failure.check)
        failures.setdefault(key, []).append(redact(describe(failure, header), secret))
    error = outcome.error if outcome.error is not None else verdict(outcome) if outcome.exit_code == 2 else None
    return Verdicts(
        error=None if error is None else redact(error, secret),
        coverage=redact(f"{coverage(outcome)}\n{repeat(outcome)}", secret),
        judged={
            verdict_key(part.operation, name): part.passed[name] + part.failed[name]
            for part in outcome.sections
            for name in part.checks
        },
        failures=failures,
    )


def run_checks(
    values: dict[str, Any],
    checks: Sequence[str],
    options: Options,
    command: str,
    *,
    operations: Sequence[str] = (),
) -> tuple[Verdicts, Outcome | None]:
    """One run of ``checks`` on ``operations`` (operationIds; all the options select when empty) with the
    plugin's option values and run ``options`` (its seed drawn), ``command`` repeating it; the outcome is None
    if no context could be read."""
    secret = secrets(values)
    try:
        api, selected = chosen_api(values)
        chosen = selected.selected(operations) if operations else selected
        ctx = open_context(values, api.lists[0])
    except KitError as exc:
        return Verdicts(error=redact(str(exc), secret)), None
    try:
        outcome = run_api(api, ctx, select_checks(checks), options, operations=chosen.operations)
        outcome.command = command
    finally:
        ctx.transport.close()
    return verdicts_of(outcome, api.api_key_header, secret), outcome


def shared_verdicts(
    directory: Path, run_here: Callable[[], Verdicts], *, poll_s: float = POLL_S
) -> tuple[Verdicts, bool]:
    """The verdicts of the one run among processes sharing ``directory``; True if this process ran it."""
    lock, result = directory / LOCK_NAME, directory / VERDICTS_NAME
    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return _wait_for(result, lock, poll_s), False
    with os.fdopen(handle, "w") as owner:
        owner.write(str(os.getpid()))
    try:
        verdicts = run_here()
    except BaseException as exc:  # the waiting workers must not wait for ever
        _publish(result, Verdicts(error=f"the worker running the contract checks stopped: {exc!r}"))
        raise
    _publish(result, verdicts)
    return verdicts, True


def _publish(result: Path, verdicts: Verdicts) -> None:
    partial = result.with_suffix(".partial")
    partial.write_bytes(verdicts.to_json())
    partial.replace(result)  # atomic: a waiting worker never reads half a file


def _wait_for(result: Path, lock: Path, poll_s: float) -> Verdicts:
    while not result.exists():
        if not _owner_alive(lock) and not result.exists():
            return Verdicts(error="the worker running the contract checks ended without a verdict")
        time.sleep(poll_s)
    return Verdicts.from_json(result.read_bytes())


def _owner_alive(lock: Path) -> bool:
    """Whether the process that holds ``lock`` still runs (assumed so while it has not written its pid yet)."""
    if os.name != "posix":  # os.kill would end the process there, not probe it
        return True
    with contextlib.suppress(OSError, ValueError):
        pid = int(lock.read_text() or "0")
        if pid:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
    return True
