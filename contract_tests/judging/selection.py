"""Which checks run: the built-in ones, a team's own, selected by name.

A team's checks are business rules the spec cannot say, written with the kit's ``check`` decorator. They come
from a module named on the command line (``--checks-module my_team_checks`` or a path to a ``.py`` file) or
from any installed package that declares an entry point in the ``contract_tests.checks`` group. Importing the
module registers its checks beside the built-in ones, so ``--checks``/``--exclude-checks`` select them, and
the CLI, the pytest plugin, the proxy and every report treat them alike.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from contract_tests.judging import checks as built_in_checks
from contract_tests.judging.registry import CHECKS, Check
from customers_spec.errors import KitError

ENTRY_POINT_GROUP = "contract_tests.checks"


def select_checks(include: Iterable[str] | None = None, exclude: Iterable[str] = ()) -> tuple[Check, ...]:
    """The registered checks named in ``include`` (all when None) minus ``exclude``; unknown names are an error."""
    load_entry_points()  # a team's checks installed as a package (entry point group ``contract_tests.checks``)
    wanted = list(include) if include is not None else list(CHECKS)
    unwanted = set(exclude)
    unknown = sorted((set(wanted) | unwanted) - set(CHECKS))
    if unknown:
        raise KitError(f"unknown check(s): {', '.join(unknown)}; known checks: {', '.join(CHECKS)}")
    return tuple(CHECKS[name] for name in CHECKS if name in wanted and name not in unwanted)


def is_built_in(check: Check) -> bool:
    """Whether a check is one of the kit's own (a function of the request and the answer alone)."""
    return check.run.__module__.startswith(built_in_checks.__name__ + ".")


def load_checks_modules(names: Iterable[str]) -> list[ModuleType]:
    """Import each module (dotted name, or a path ending in ``.py``), registering the checks it declares."""
    return [load_checks_module(name) for name in names]


def load_checks_module(name: str) -> ModuleType:
    """Import one checks module; a KitError says why it could not be loaded (a missing file, an import error)."""
    try:
        if name.endswith(".py") or "/" in name or "\\" in name:
            return _from_path(Path(name))
        return importlib.import_module(name)
    except KitError:
        raise
    except Exception as exc:  # the team's module is their code: any error it raises is theirs to read
        raise KitError(f"cannot load the checks module {name!r}: {type(exc).__name__}: {exc}") from exc


def _from_path(path: Path) -> ModuleType:
    if not path.is_file():
        raise KitError(f"the checks module {str(path)!r} is not a file")
    module_name = f"contract_tests_team_checks.{path.stem}"  # run anew each time: its checks register again
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise KitError(f"cannot import {str(path)!r} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


@cache
def load_entry_points() -> tuple[str, ...]:
    """Load every installed ``contract_tests.checks`` entry point once; the names of those loaded."""
    loaded = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            point.load()
        except Exception as exc:
            raise KitError(f"cannot load the checks entry point {point.name!r} ({point.value}): {exc}") from exc
        loaded.append(point.name)
    return tuple(loaded)


def comma_separated(values: Iterable[str] | None) -> list[str]:
    """The names of a repeated, comma-separated option (``--checks-module a,b --checks-module c``)."""
    return [name.strip() for value in values or () for name in value.split(",") if name.strip()]


def check_names(raw: str | None) -> tuple[str, ...] | None:
    """The check names of a comma-separated option (``--checks a,b``); None when the option is not given."""
    return None if raw is None else tuple(comma_separated([raw]))
