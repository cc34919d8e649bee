"""Every module imports only what its package's rule allows, the rules are the table in ARCHITECTURE.md, and
every module with logic has a test module at its mirrored path.

The table is read from the document itself, so the document and this test cannot drift: a row per package
(the longest one that names a module is its rule), what it may import of ours, which third-party modules it
may import (the standard library is always allowed), and what it must never import, ours or not. A module
may always import its own package's modules; anything of ours its row does not name is forbidden.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "ARCHITECTURE.md"
BEGIN, END = "<!-- import rules: begin -->", "<!-- import rules: end -->"
ANYTHING = "anything"


@dataclass(frozen=True)
class Rule:
    """One row of the table: what the modules of ``package`` may and must never import."""

    package: str
    may: tuple[str, ...]
    third_party: tuple[str, ...] | None  # None: any third-party module
    never: tuple[str, ...]


def read_rules(text: str) -> dict[str, Rule]:
    """The rows between the markers: ``| `package` | may (ours) | third-party | never |``."""
    table = text.split(BEGIN, 1)[1].split(END, 1)[0]
    rules: dict[str, Rule] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue  # the header, its separator, blank lines
        (package,), may, third_party, never = (names(cell) for cell in cells)
        anything = ANYTHING in cells[2].replace("`", "")
        rules[package] = Rule(package, may, None if anything else third_party, never)
    return rules


def names(cell: str) -> tuple[str, ...]:
    return tuple(re.findall(r"`([^`]+)`", cell))


RULES = read_rules(DOCUMENT.read_text(encoding="utf-8"))
OURS = sorted({package.split(".")[0] for package in RULES})


def under(name: str, entry: str) -> bool:
    """Whether ``name`` is ``entry`` or inside it (a name, not a prefix of letters)."""
    return name == entry or name.startswith(f"{entry}.")


def rule_of(module: str) -> Rule | None:
    """The row of the longest package that holds ``module``."""
    holding = [rule for rule in RULES.values() if under(module, rule.package)]
    return max(holding, key=lambda rule: len(rule.package), default=None)


def resolve(name: str) -> str | None:
    """The module of ours a dotted name is (``pkg.__init__`` for a package), or None when it is no file."""
    path = ROOT.joinpath(*name.split("."))
    if path.with_suffix(".py").is_file():
        return name
    if (path / "__init__.py").is_file():
        return f"{name}.__init__"
    return None


def imported(module: str, source: str) -> Iterator[str]:
    """Every module ``source`` imports, in functions and under ``TYPE_CHECKING`` too; ours resolved to files
    (``from a import b`` is ``a.b`` when that is a module, else ``a``)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield resolve(alias.name) or alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: -node.level]
                base = ".".join([*parent, *([base] if base else [])])
            if base == "__future__":
                continue
            for alias in node.names:
                yield resolve(f"{base}.{alias.name}") or resolve(base) or base


def breaks(module: str, name: str) -> str | None:
    """Why ``module`` may not import ``name``, or None when its rule allows it."""
    rule = rule_of(module)
    assert rule is not None, f"{module}: no row of the table holds it"
    if any(under(name, entry) for entry in rule.never):
        return f"{rule.package} never imports it"
    top = name.split(".")[0]
    if top in OURS:
        target = rule_of(name)
        if target is rule or any(under(name, entry) for entry in rule.may):
            return None
        return f"{rule.package} may import only {', '.join(rule.may) or 'nothing of ours'}"
    if top in sys.stdlib_module_names or rule.third_party is None or top in rule.third_party:
        return None
    return f"{rule.package} may import only {', '.join(rule.third_party) or 'no'} third-party modules"


def modules() -> Iterator[tuple[str, Path]]:
    """Every Python module of the repository's packages, named as it is imported (``pkg.__init__`` kept)."""
    for top in OURS:
        for path in sorted((ROOT / top).rglob("*.py")):
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts), path


def test_every_module_imports_only_what_its_rule_allows() -> None:
    broken, seen = [], 0
    for module, path in modules():
        for name in imported(module, path.read_text(encoding="utf-8")):
            seen += 1
            reason = breaks(module, name)
            if reason:
                broken.append(f"{module} imports {name}: {reason}")
    assert seen > 1000  # the walk sees the imports
    assert broken == [], "\n".join(broken)


def test_every_module_has_a_row_and_every_row_names_what_exists() -> None:
    assert {"customers_spec", "mockserver.engine", "contract_tests.proxy", "selftest", "tests"} <= set(RULES)
    assert [module for module, _ in modules() if rule_of(module) is None] == []
    for rule in RULES.values():
        for entry in (rule.package, *rule.may, *(entry for entry in rule.never if entry.split(".")[0] in OURS)):
            assert resolve(entry) or ROOT.joinpath(*entry.split(".")).is_dir(), f"{rule.package}: {entry} is no module"
        assert rule.package not in rule.may, rule.package


def packages_of_packages() -> list[str]:
    """The rows that are sub-packages (``mockserver.engine``, ``contract_tests.proxy``…), not single modules."""
    return [rule.package for rule in RULES.values() if rule.package.count(".") == 1 and is_package(rule.package)]


def is_package(name: str) -> bool:
    return (resolve(name) or "").endswith(".__init__")


@pytest.mark.parametrize("package", packages_of_packages())
def test_a_sub_package_states_its_rule_where_it_is(package: str) -> None:
    """Whoever opens the package reads its rule there too; the table is the one that is checked."""
    source = ROOT.joinpath(*package.split("."), "__init__.py").read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring is not None and "May import" in docstring and "never" in docstring.lower(), package


def test_a_forbidden_import_is_found() -> None:
    late = "def later():\n    from mockserver.startup.parallel import Workers\n"
    assert [breaks("mockserver.engine.store", name) for name in imported("mockserver.engine.store", late)] == [
        "mockserver.engine never imports it"
    ]
    assert breaks("mockserver.engine.store", "customers_serving.listening") == (
        "mockserver.engine may import only customers_spec"
    )
    assert breaks("mockserver.engine.store", "multiprocessing.pool") == "mockserver.engine never imports it"
    assert breaks("mockserver.engine.store", "flask") is not None
    assert breaks("contract_tests.proxy.cli", "mockserver.config") is not None  # the kit never imports the mock
    assert breaks("contract_tests.cli", "contract_tests.__init__") is not None  # nor the package itself, inside
    assert breaks("contract_tests.judging.oracle", "contract_tests.running.records") is not None  # upward
    assert breaks("contract_tests.running.runner", "contract_tests.judging.checks.__init__") is None
    assert not under("mockserver.datafile", "mockserver.data")  # a name, not a prefix of letters
    relative = list(imported("mockserver.http.api", "from ..engine import store\nfrom . import cors\n"))
    assert relative == ["mockserver.engine.store", "mockserver.http.cors"]


def test_the_table_is_read_as_written() -> None:
    text = (
        f"{BEGIN}\n| package | may | third | never |\n|---|---|---|---|\n| `a.b` | `c`, `d.e` | anything | `f` |\n{END}"
    )
    assert read_rules(text) == {"a.b": Rule("a.b", ("c", "d.e"), None, ("f",))}
    text = f"{BEGIN}\n| `a` | — | `numpy` | — |\n{END}"
    assert read_rules(text) == {"a": Rule("a", (), ("numpy",), ())}


TESTED = ("customers_spec", "customers_serving", "mockserver", "contract_tests", "selftest")  # bench: see below


def has_logic(path: Path) -> bool:
    """Whether a module defines a function or a class (not only names, imports and re-exports)."""
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_every_module_with_logic_has_a_test_module_at_its_mirrored_path() -> None:
    """``mockserver/engine/store.py`` is tested in ``tests/mockserver/engine/test_store.py``. The benchmarks
    are left out: the tests never import ``bench`` (each runs as ``python -m bench --quick --only NAME``)."""
    missing = []
    for top in TESTED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            mirrored = ROOT / "tests" / relative.parent / f"test_{path.name}"
            if has_logic(path) and not mirrored.is_file():
                missing.append(f"{relative}: no {mirrored.relative_to(ROOT)}")
    assert missing == [], "\n".join(missing)
