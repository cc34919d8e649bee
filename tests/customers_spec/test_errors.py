"""Every ``KitError`` of the shipped packages lives in ``customers_spec.errors`` and is drawn in its tree."""

from __future__ import annotations

import importlib
import pkgutil
import re

import contract_tests
import customers_serving
import customers_spec
import mockserver
from customers_spec import errors
from customers_spec.errors import ConfigError, KitError


def every_subclass(cls: type) -> set[type]:
    found: set[type] = set()
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        found |= {sub, *every_subclass(sub)}
    return found


def shipped_kit_errors() -> set[type]:
    """The KitError subclasses defined anywhere in the shipped packages (each of their modules imported)."""
    for package in (customers_spec, customers_serving, mockserver, contract_tests):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)
    shipped = ("customers_spec", "customers_serving", "mockserver", "contract_tests")
    return {cls for cls in every_subclass(KitError) if cls.__module__.split(".")[0] in shipped}


def drawn_tree() -> dict[str, str]:
    """Each class the module docstring draws, with the class drawn above it."""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    tree = (errors.__doc__ or "").split("\nKitError", 1)[1].split("\n\n", 1)[0]  # up to the blank line
    for line in f"KitError{tree}".splitlines():
        name = re.match(r"^(?:[│ ]*[├└]── )?([A-Z]\w+)\s", line)  # a branch, or the root at the margin
        if name is None:
            continue  # a description running over two lines
        depth = name.start(1)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[name.group(1)] = stack[-1][1] if stack else ""
        stack.append((depth, name.group(1)))
    return parents


def test_every_kit_error_is_defined_in_errors() -> None:
    found = shipped_kit_errors()
    assert len(found) >= 6  # the walk imported the packages
    assert {cls.__qualname__: cls.__module__ for cls in found if cls.__module__ != "customers_spec.errors"} == {}


def test_the_docstring_draws_every_kit_error_under_its_base() -> None:
    actual = {cls.__name__: cls.__mro__[1].__name__ for cls in shipped_kit_errors()}  # the first base
    drawn = drawn_tree()
    assert drawn.pop("KitError") == ""
    assert drawn == actual


def test_a_config_error_is_also_a_value_error() -> None:
    """Callers that validate settings with ``except ValueError`` still catch it."""
    assert issubclass(ConfigError, ValueError) and issubclass(ConfigError, KitError)
