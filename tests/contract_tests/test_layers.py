"""The kit's import rules, read from its modules: each sub-package imports only the ones below it.

generation <- sending <- judging <- running <- reporting <- proxy <- the command lines (cli, plugin, interface).
Nothing inside the kit imports the package itself (``contract_tests/__init__`` re-exports the team-check API)
and nothing imports the mock.
"""

from __future__ import annotations

import ast
from pathlib import Path

import contract_tests

PACKAGE = Path(contract_tests.__file__).parent
BELOW = ("generation", "sending", "judging", "running", "reporting", "proxy")
OUTSIDE = {"proxy": {"customers_serving"}}  # besides customers_spec, which every part reads


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, a ``from a import b`` as both ``a`` and ``a.b``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def part(module: str) -> str:
    """The sub-package a kit module belongs to, or ``top`` for the package's own modules."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 and pieces[1] in BELOW else "top"


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(("contract_tests", *path.relative_to(PACKAGE).with_suffix("").parts))
        found.append((dotted.removesuffix(".__init__"), path))
    return found


def test_each_sub_package_imports_only_the_ones_below_it() -> None:
    wrong = []
    for module, path in modules():
        own = part(module)
        if own != "top":
            wrong += [f"{module} imports {name}" for name in imports(path) if not allowed(own, name)]
    assert not wrong, "\n".join(wrong)


def allowed(own: str, name: str) -> bool:
    """Whether a module of the sub-package ``own`` may import ``name``."""
    if name.startswith("contract_tests."):
        return part(name) in BELOW[: BELOW.index(own) + 1]
    return name.split(".")[0] not in {"mockserver", "customers_serving"} - OUTSIDE.get(own, set())


def test_nothing_inside_imports_the_package_itself() -> None:
    """``from contract_tests import check`` is for a team's modules: inside, it would tie every part to all."""
    wrong = [module for module, path in modules() if "contract_tests" in imports(path)]
    assert not wrong, wrong


def test_the_rules_are_the_ones_the_packages_state() -> None:
    for name in BELOW:
        docstring = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text())) or ""
        assert "May import" in docstring, name
