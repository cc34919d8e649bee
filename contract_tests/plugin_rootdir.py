"""pytest looks for its rootdir and config file before it loads the plugin, so it takes the value of a path
option written as two words (``--contract-checks-module path/checks.py``) for a test path: a path in another
checkout moves the rootdir there and reads that checkout's configuration. The plugin cannot undo what that
configuration did, so it says so and how to avoid it: the one-word form ``--contract-checks-module=PATH``.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from contract_tests.interface import OPTIONS
from customers_spec.errors import KitError

PATH_OPTIONS = frozenset(
    f"--contract-{option.name}" for option in OPTIONS if option.existing_file or option.multiple or option.type is Path
)


def check_rootdir(config: pytest.Config) -> None:
    """Raise ``KitError`` if a path option's value moved the rootdir or the config file pytest chose."""
    args = [str(arg) for arg in config.invocation_params.args]
    written = [(name, value) for name, value in pairwise(args) if name in PATH_OPTIONS]
    if not written:
        return
    expected = _setup_without_them(config)
    if expected is None or expected == (config.rootpath, config.inipath):
        return
    name, value = written[0]
    raise KitError(
        f"pytest took the value of {name} for a test path and chose its rootdir from it ({config.rootpath},"
        f" not {expected[0]}): write {name}={value} (one word), so the rootdir stays where the suite is"
    )


def _setup_without_them(config: pytest.Config) -> tuple[Path, Path | None] | None:
    """The rootdir and config file pytest finds for the test paths alone (None if this pytest cannot say)."""
    try:
        from _pytest.config.findpaths import determine_setup  # no public API decides the rootdir

        found = determine_setup(
            inifile=config.option.inifilename,
            override_ini=config.option.override_ini,
            args=[str(arg) for arg in config.option.file_or_dir or ()],
            rootdir_cmd_arg=config.option.rootdir or None,
            invocation_dir=config.invocation_params.dir,
        )
    except (ImportError, TypeError):  # another pytest's signature: better no check than a wrong one
        return None
    return found[0], found[1]
