"""Every third-party module the shipped packages import comes from a declared runtime dependency.

An import that only arrives through another package (or through the ``test`` extra) works in CI and breaks a
user's install, so the installed kit's own metadata is the reference: ``Requires-Dist`` without an extra.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import tomllib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "customers-api-kit"


def shipped_packages() -> list[str]:
    """The packages the wheel ships, as pyproject.toml lists them for hatchling."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])


def imported_modules(package_dir: Path) -> dict[str, set[str]]:
    """The top-level modules imported anywhere in a package (absolute imports), with the files importing each."""
    found: dict[str, set[str]] = {}
    for file in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], set()).add(str(file.relative_to(package_dir.parent)))
    return found


def runtime_requirements(distribution: str) -> set[str]:
    """The normalized names of an installed distribution's runtime dependencies (entries under an extra aside)."""
    declared: set[str] = set()
    for line in metadata.requires(distribution) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            declared.add(canonicalize_name(requirement.name))
    return declared


def undeclared(
    imports: Mapping[str, Iterable[str]],
    declared: set[str],
    owners: Mapping[str, list[str]],
    own: set[str],
) -> dict[str, list[str]]:
    """The third-party modules (with their importers) that no declared distribution provides."""
    missing = {}
    for module, files in imports.items():
        if module in own or module in sys.stdlib_module_names:
            continue
        providers = {canonicalize_name(name) for name in owners.get(module, [module])}
        if not providers & declared:
            missing[module] = sorted(files)
    return missing


def test_every_third_party_import_is_a_declared_runtime_dependency() -> None:
    own = set(shipped_packages())
    imports: dict[str, set[str]] = {}
    for package in sorted(own):
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        for module, files in imported_modules(Path(next(iter(spec.submodule_search_locations)))).items():
            imports.setdefault(module, set()).update(files)
    assert {"flask", "jsonschema_rs", "pytest"} <= set(imports)  # the walk sees the packages' imports

    missing = undeclared(imports, runtime_requirements(DISTRIBUTION), metadata.packages_distributions(), own)

    assert missing == {}, "imported but not declared in [project].dependencies"


def test_an_undeclared_import_is_reported(tmp_path: Path) -> None:
    package = tmp_path / "kit"
    package.mkdir()
    (package / "__init__.py").write_text("from __future__ import annotations\nimport json\nfrom . import own\n")
    (package / "own.py").write_text("import yaml\nfrom kit import own\nfrom werkzeug.test import Client\n")
    imports = imported_modules(package)
    assert set(imports) == {"__future__", "json", "yaml", "kit", "werkzeug"}

    owners = {"yaml": ["PyYAML"], "werkzeug": ["Werkzeug"]}
    missing = undeclared(imports, declared={"pyyaml", "flask"}, owners=owners, own={"kit"})

    assert missing == {"werkzeug": ["kit/own.py"]}  # werkzeug comes with flask, yet is not declared itself


def test_requirements_under_an_extra_are_not_runtime_dependencies() -> None:
    declared = runtime_requirements(DISTRIBUTION)
    assert {"flask", "jsonschema-rs", "pytest"} <= declared
    assert "schemathesis" not in declared  # the test extra's
