"""A store built in a child process comes back mapped, answers like one built in-process, and failures cross."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.errors import DataError
from customers_spec.model import SortKey
from customers_spec.terms import filter_condition
from mockserver.engine.criteria import Criteria
from mockserver.startup import apart as apart_module
from mockserver.startup.apart import build_apart
from mockserver.startup.building import generated_store
from mockserver.startup.mapped import scratch_directory
from mockserver.startup.storing import store_of_dataset


def test_a_store_built_apart_answers_as_one_built_here(spec: Spec, dataset: Dataset) -> None:
    here = store_of_dataset(spec, dataset)
    apart = build_apart(lambda: store_of_dataset(spec, dataset))
    condition = filter_condition(spec.filters["nameAndAddress"], "er")
    for criteria in (
        Criteria((), spec.sort.default, 100, 0),
        Criteria((condition,), (spec.sort.default[0], spec.sort.tie_breaker), 20, 5),
    ):
        assert apart.query(criteria) == here.query(criteria)
    mapped = not apart.index.columns["name"].ranks.flags.writeable  # the mapped file's pages are read-only
    assert mapped == (threading.active_count() == 1)  # with other threads (e.g. pytest-xdist) it builds here


def test_a_store_built_apart_from_the_workers_pieces_answers_as_one_built_here(spec: Spec) -> None:
    """The child's workers hand their pieces back as files and the store's file names them: the server maps
    those files, and nothing is left in the scratch directory afterwards."""
    scratch = Path(scratch_directory() or tempfile.gettempdir())
    before = set(scratch.glob("mockserver-build-*"))
    apart = build_apart(lambda: generated_store(spec, 12_000, 5))
    here = generated_store(spec, 12_000, 5)
    condition = filter_condition(spec.filters["nameAndAddress"], "er")
    for path in spec.sort.fields:
        for descending in (False, True):
            criteria = Criteria((condition,), (SortKey(path, descending), spec.sort.tie_breaker), 50, 7)
            assert apart.query(criteria) == here.query(criteria), (path, descending)
    assert not set(scratch.glob("mockserver-build-*")) - before  # (a build also removes killed servers' ones)


def test_a_build_removes_the_scratch_of_servers_that_were_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart_module, "scratch_directory", lambda: str(tmp_path))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    abandoned = tmp_path / f"{apart_module.SCRATCH_PREFIX}{ended.pid}-x1"
    running = tmp_path / f"{apart_module.SCRATCH_PREFIX}{os.getpid()}-x2"
    for directory in (abandoned, running):
        directory.mkdir()
        (directory / "store-1").write_bytes(b"pieces")
    assert build_apart(lambda: 7) == 7
    assert not abandoned.exists() and running.exists()


def test_a_failure_in_the_child_is_raised_here() -> None:
    def fail() -> None:
        raise DataError("customer 3 at $.name: not a string")

    with pytest.raises(DataError, match="customer 3"):
        build_apart(fail)
