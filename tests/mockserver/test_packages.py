"""Each of the mock's sub-packages imports only what its ``__init__`` docstring allows, read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mockserver

PACKAGE = Path(mockserver.__file__).parent
TOP_LEVEL = ["mockserver.app", "mockserver.cli", "mockserver.data_commands", "mockserver.__main__"]
# What each sub-package must never import (a name and everything under it).
NEVER = {
    "engine": [
        "mockserver.startup", "mockserver.data", "mockserver.http", "mockserver.config", *TOP_LEVEL,
        "multiprocessing", "concurrent", "subprocess", "os", "mmap", "tempfile", "ctypes", "gc", "pickle",
    ],
    "startup": ["mockserver.http", *TOP_LEVEL],
    "http": ["mockserver.startup", "mockserver.data", *TOP_LEVEL],
    "data": ["mockserver.engine", "mockserver.startup", "mockserver.http", "mockserver.config", *TOP_LEVEL],
}  # fmt: skip


def imports(package: Path) -> dict[str, set[str]]:
    """Every module imported anywhere in the package (absolute imports, in functions too), with its importers."""
    found: dict[str, set[str]] = {}
    for file in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.level == 0, f"{file}: relative import"
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name, set()).add(file.name)
    return found


def breaks(name: str, forbidden: list[str]) -> bool:
    return any(name == rule or name.startswith(f"{rule}.") for rule in forbidden)


@pytest.mark.parametrize("package", sorted(NEVER))
def test_a_sub_package_imports_nothing_its_rule_forbids(package: str) -> None:
    found = imports(PACKAGE / package)
    assert "customers_spec" in {name.partition(".")[0] for name in found}  # the walk sees the imports
    broken = {name: sorted(files) for name, files in found.items() if breaks(name, NEVER[package])}
    assert broken == {}, f"mockserver.{package} imports what its rule forbids"


def test_the_rule_is_stated_where_the_package_is() -> None:
    for package in NEVER:
        docstring = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring is not None and "May import:" in docstring and "Never" in docstring, package


def test_a_forbidden_import_is_found(tmp_path: Path) -> None:
    (tmp_path / "engine.py").write_text("def later():\n    from mockserver.startup.parallel import Workers\n")
    found = imports(tmp_path)
    assert [name for name in found if breaks(name, NEVER["engine"])] == ["mockserver.startup.parallel"]
    assert not breaks("mockserver.datafile", ["mockserver.data"])  # a name, not a prefix of letters
