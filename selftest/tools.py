"""External programs the tests run, found where `.ci/run` installs them; missing ones fail loudly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "tools" / "node_modules" / ".bin"


def node_tool(name: str) -> str:
    """The path of an npm-installed tool (``npm install --prefix tools``); an error, not a skip, if absent."""
    candidate = NODE_BIN / name
    if candidate.exists():
        return str(candidate)
    raise RuntimeError(f"{name} is not installed: run `npm install --prefix tools` (see .ci/run)")


def system_tool(name: str, package: str | None = None) -> str:
    """The path of a program from Debian's ``package`` (default: ``name``); an error, not a skip, if absent."""
    found = shutil.which(name, path=os.environ.get("PATH"))
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `apt-get install {package or name}` (see .ci/run)")
    return found
