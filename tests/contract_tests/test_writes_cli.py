"""``contract-tests writes``: refused without --allow-writes and for a spec without writes (one line, exit 2);
with it, every check and record on a line, exit 0 against the correct mock and 1 against a faulty one."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from contract_tests.cli import main
from customers_spec.datafile import Dataset
from selftest.write_faults import serving
from tests.conftest import EXAMPLE_SPEC
from tests.mockserver.conftest import API_KEY


def test_no_write_is_made_without_allow_writes(dataset: Dataset, tmp_path: Path) -> None:
    with serving(None, dataset, tmp_path / "state.sqlite") as url:
        refused = CliRunner().invoke(main, ["writes", "--base-url", url, "--spec", str(EXAMPLE_SPEC)])
        shipped = CliRunner().invoke(main, ["writes", "--base-url", url, "--allow-writes"])
    assert refused.exit_code == 2 and "pass --allow-writes" in refused.output
    assert refused.output.count("\n") == 1
    assert shipped.exit_code == 2 and "declares no write" in shipped.output


def test_the_writes_pass_on_the_correct_mock_and_fail_on_a_faulty_one(dataset: Dataset, tmp_path: Path) -> None:
    arguments = ["--spec", str(EXAMPLE_SPEC), "--api-key", API_KEY, "--allow-writes", "--header", "X-Team: web"]
    with serving(None, dataset, tmp_path / "good.sqlite") as url:
        good = CliRunner().invoke(main, ["writes", "--base-url", url, *arguments, "--report", str(tmp_path / "w.json")])
    assert good.exit_code == 0, good.output
    assert "0 write check(s) failed; 1 written, 1 removed" in good.output
    kept = orjson.loads((tmp_path / "w.json").read_bytes())
    assert kept["written"] == kept["removed"] and kept["left"] == [] and kept["stories"][0]["failed"] == []
    with serving("patch replaces the whole record", dataset, tmp_path / "bad.sqlite") as url:
        bad = CliRunner().invoke(main, ["writes", "--base-url", url, *arguments])
    assert bad.exit_code == 1 and "FAIL  customers: a merge patch is accepted" in bad.output
