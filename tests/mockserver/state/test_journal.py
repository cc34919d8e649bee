"""The write log: marks per tenant, writes after a seq in order, a reset that starts a new epoch, a rollback that
leaves nothing, a connection per process, and a state file kept over another dataset refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from customers_spec.errors import ConfigError
from mockserver.state.journal import Journal


def test_a_tenant_has_no_mark_until_it_writes_and_reads_its_writes_in_order(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "log.sqlite")
    assert journal.mark("a") is None
    with journal.locked() as connection:
        first = journal.append(connection, "a", [("customers", "1", b"{}"), ("customers", "2", None)])
    with journal.locked() as connection:
        second = journal.append(connection, "b", [("customers", "1", b"[]")])
    assert first == (2, 2) and second == (3, 3)
    assert journal.mark("a") == (2, 2) and journal.mark("b") == (3, 3)
    assert journal.since("a", 0) == [(1, "customers", "1", b"{}"), (2, "customers", "2", None)]
    assert journal.since("a", 1) == [(2, "customers", "2", None)] and journal.since("b", 3) == []


def test_a_reset_forgets_one_tenant_or_all_and_the_next_write_is_a_new_epoch(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "log.sqlite")
    for tenant in ("a", "b"):
        with journal.locked() as connection:
            journal.append(connection, tenant, [("customers", "1", b"{}")])
    assert journal.reset("a") == 1 and journal.mark("a") is None and journal.mark("b") == (2, 2)
    with journal.locked() as connection:
        assert journal.append(connection, "a", [("customers", "1", b"{}")]) == (3, 3)  # never mistaken for "more"
    assert journal.reset(None) == 2 and journal.mark("b") is None


def test_a_refused_write_leaves_nothing(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "log.sqlite")
    with pytest.raises(RuntimeError), journal.locked() as connection:
        journal.append(connection, "a", [("customers", "1", b"{}")])
        raise RuntimeError("refused")
    assert journal.mark("a") is None and journal.since("a", 0) == []


def test_a_state_file_kept_over_another_dataset_is_refused_once_it_holds_writes(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    Journal(path).bind_dataset("--count 5")
    Journal(path).bind_dataset("--count 6")  # no write yet: it simply follows the dataset
    journal = Journal(path)
    with journal.locked() as connection:
        journal.append(connection, "", [("customers", "1", b"{}")])
    with pytest.raises(ConfigError, match="holds writes made over another dataset"):
        Journal(path).bind_dataset("--count 5")
    Journal(path).bind_dataset("--count 6")


def test_a_file_that_is_no_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_text("hello, this is not a database" * 100)
    with pytest.raises(ConfigError, match="cannot be used as the mock's state file"):
        Journal(path)
