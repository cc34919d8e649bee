"""External programs the tests run: found where the setup installs them, or an error that says how."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from selftest import tools


def test_a_system_tool_is_found_on_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert tools.system_tool(Path(sys.executable).name) == sys.executable


def test_a_missing_system_tool_says_which_package_installs_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match=r"chromedriver is not installed: run `apt-get install chromium-driver`"):
        tools.system_tool("chromedriver", "chromium-driver")


def test_a_node_tool_is_found_in_tools_or_named_as_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "redocly").write_text("#!/bin/sh\n")
    monkeypatch.setattr(tools, "NODE_BIN", tmp_path)
    assert tools.node_tool("redocly") == str(tmp_path / "redocly")
    with pytest.raises(RuntimeError, match=r"prism is not installed: run `npm install --prefix tools`"):
        tools.node_tool("prism")
