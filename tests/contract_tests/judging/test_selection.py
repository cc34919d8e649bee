"""Which checks run: the built-in ones and a team's (a module by name or path, an entry point), chosen by name."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from contract_tests.cli import main
from contract_tests.judging.checks import shape
from contract_tests.judging.registry import CHECKS, Check
from contract_tests.judging.selection import (
    check_names,
    comma_separated,
    is_built_in,
    load_checks_module,
    load_entry_points,
    select_checks,
)
from customers_spec.errors import KitError

pytestmark = pytest.mark.usefixtures("registry_restored")


def test_checks_are_selected_by_name() -> None:
    names = [check.name for check in select_checks(["sort_order", "page_size"])]
    assert names == ["page_size", "sort_order"]  # in registration order
    assert "sort_order" not in [check.name for check in select_checks(exclude=["sort_order"])]
    with pytest.raises(KitError, match="unknown check"):
        select_checks(["sort_order", "sort_ordr"])


def test_option_values_are_read_as_comma_separated_names() -> None:
    assert check_names(None) is None
    assert check_names(" sort_order, ,page_size ") == ("sort_order", "page_size")
    assert comma_separated(["a,b", " c "]) == ["a", "b", "c"] and comma_separated(None) == []


def test_the_kits_own_checks_are_told_from_a_teams() -> None:
    assert is_built_in(CHECKS["not_server_error"]) and CHECKS["not_server_error"].run is shape.not_server_error
    team = Check("team_rule", lambda ctx, case, response: None, frozenset({"valid"}), needs_page=False)
    assert not is_built_in(team)


def test_a_module_by_name_and_errors_said_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my_team_checks.py").write_text(
        textwrap.dedent(
            '''
            from contract_tests import check

            @check(kinds=["valid"])
            def answered_quickly(ctx, case, response):
                """A stand-in rule."""
            '''
        )
    )
    (tmp_path / "broken_checks.py").write_text("import not_a_module_anywhere\n")
    (tmp_path / "clashing_checks.py").write_text(
        "from contract_tests import check\n\n@check()\ndef sort_order(ctx, case, response):\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    load_checks_module("my_team_checks")
    assert [check.name for check in select_checks(["answered_quickly"])] == ["answered_quickly"]
    with pytest.raises(KitError, match=r"cannot load the checks module 'broken_checks'.*not_a_module_anywhere"):
        load_checks_module("broken_checks")
    with pytest.raises(KitError, match="two checks are named sort_order"):
        load_checks_module(str(tmp_path / "clashing_checks.py"))
    result = CliRunner().invoke(main, ["--checks-module", str(tmp_path / "missing.py"), "--list-checks"])
    assert result.exit_code == 2 and "is not a file" in result.output


def test_an_installed_entry_point_registers_its_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme_checks.py").write_text(
        "from contract_tests import check\n\n@check()\ndef acme_rule(ctx, case, response):\n    pass\n"
    )
    info = tmp_path / "acme_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[contract_tests.checks]\nacme = acme_checks\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    load_entry_points.cache_clear()
    try:
        assert "acme_rule" in [check.name for check in select_checks()]
        assert load_entry_points() == ("acme",)
    finally:
        load_entry_points.cache_clear()
