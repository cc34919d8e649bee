"""A path option written as two words moves pytest's rootdir before the plugin loads: the plugin refuses it,
naming the one-word form, and the one-word form leaves the rootdir where the suite is."""

from __future__ import annotations

import pytest

from contract_tests.plugin_rootdir import PATH_OPTIONS

pytestmark = pytest.mark.slow


def test_the_path_options_are_those_that_name_files() -> None:
    assert "--contract-checks-module" in PATH_OPTIONS and "--contract-spec" in PATH_OPTIONS
    assert "--contract-base-url" not in PATH_OPTIONS


def test_a_checks_module_written_as_two_words_is_refused_before_it_moves_the_rootdir(
    pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("checkout")
    (elsewhere / "pyproject.toml").write_text("[tool.pytest.ini_options]\naddopts = []\n")
    module = elsewhere / "team_checks.py"
    module.write_text("")
    two_words = pytester.runpytest("--contract-base-url", "http://127.0.0.1:9", "--contract-checks-module", str(module))
    one_word = pytester.runpytest(
        "--contract-base-url", "http://127.0.0.1:9", f"--contract-checks-module={module}", "--collect-only"
    )
    assert two_words.ret == pytest.ExitCode.USAGE_ERROR
    two_words.stderr.fnmatch_lines([f"*chose its rootdir from it*write --contract-checks-module={module} (one word)*"])
    one_word.stdout.fnmatch_lines([f"rootdir: {pytester.path}"])
