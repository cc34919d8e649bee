"""``generate`` and ``validate`` as a user runs them: output, exit codes, and one-line messages, no tracebacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from customers_spec import Spec
from customers_spec.datafile import load_dataset
from customers_spec.resources import default_data_path
from mockserver import data_commands
from mockserver.data.generate import generate_dataset
from mockserver.data_commands import generate, validate


def _run(command: object, *args: str, stdin: bytes | None = None) -> Result:
    result = CliRunner().invoke(command, list(args), input=stdin)  # type: ignore[arg-type]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_generate_writes_the_dataset_to_stdout_deterministically() -> None:
    first = _run(generate, "--count", "12", "--seed", "4")
    assert first.exit_code == 0
    document = json.loads(first.stdout)
    assert len(document["customers"]) == 12
    assert first.stdout == _run(generate, "-n", "12", "-s", "4").stdout
    assert document["customers"] == generate_dataset(12, 4).customers


def test_generate_writes_a_file_the_mock_loads(spec: Spec, tmp_path: Path) -> None:
    path = tmp_path / "customers.json"
    result = _run(generate, "--count", "20", "--seed", "1", "-o", str(path))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("20 customers, ")
    assert len(load_dataset(path, spec).customers) == 20


def test_generate_reports_an_unwritable_output_in_one_line(tmp_path: Path) -> None:
    result = _run(generate, "--count", "1", "-o", str(tmp_path / "missing" / "out.json"))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_generate_rejects_a_negative_count() -> None:
    assert _run(generate, "--count", "-1").exit_code == 2


def test_generate_shows_a_progress_bar_for_large_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_commands, "PROGRESS_THRESHOLD", 10)
    monkeypatch.setattr(data_commands, "_stderr_is_terminal", lambda: True)
    assert "Generating customers" in _run(generate, "--count", "10").stderr
    monkeypatch.setattr(data_commands, "_stderr_is_terminal", lambda: False)
    assert "Generating customers" not in _run(generate, "--count", "10").stderr


def test_validate_accepts_the_default_dataset_and_single_customers(tmp_path: Path) -> None:
    shipped = str(default_data_path())
    result = _run(validate, shipped)
    assert result.exit_code == 0
    assert re.fullmatch(rf"OK: {re.escape(shipped)}: 1000 customers, \d+ objects valid\n", result.stdout)
    customer = json.dumps(generate_dataset(1, 2).customers[0]).encode()
    assert _run(validate, "-", stdin=customer).stdout == "OK: <stdin>: 1 record valid\n"


def test_validate_lists_each_problem_and_exits_1(tmp_path: Path) -> None:
    customers = generate_dataset(5, 2).customers
    customers[3]["contact"]["email"] = "x"
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(customers), encoding="utf-8")
    result = _run(validate, str(path))
    assert result.exit_code == 1
    assert result.stdout == "record 3 at $[3].contact.email: must be an email address, got 'x'\n"
    assert result.stderr == f"{path}: 1 problem\n"


@pytest.mark.parametrize(("content", "expected"), [(b"{oops", "<stdin>: not JSON: "), (b"", "<stdin>: not JSON: ")])
def test_validate_exits_2_on_input_that_is_not_json(content: bytes, expected: str) -> None:
    result = _run(validate, "-", stdin=content)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(expected) and result.stderr.count("\n") == 1


def test_validate_exits_2_on_an_unreadable_file(tmp_path: Path) -> None:
    result = _run(validate, str(tmp_path / "absent.json"))
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'absent.json'}: cannot read: No such file or directory\n"
