"""What the tests and benchmarks read about the servers they start: ports, process trees, CPU and memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from selftest import servers


def test_a_free_port_can_be_listened_on() -> None:
    port = servers.free_port()
    with socket.create_server(("127.0.0.1", port)) as listener:
        assert listener.getsockname()[1] == port


def test_the_process_tree_holds_a_child_and_a_gone_process_costs_nothing() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        tree = servers.process_tree(os.getpid())
        assert tree[0] == os.getpid() and child.pid in tree
        assert servers.process_tree(child.pid) == [child.pid]
    finally:
        child.communicate(b"")
    assert servers.cpu_ticks(child.pid) == 0  # reaped: gone
    assert servers.cpu_ticks(os.getpid()) > 0  # this interpreter has run Python for a while


def test_a_proc_field_is_read_in_kib_and_zero_when_absent(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmRSS:\t  123456 kB\nRssAnon:\t 100 kB\n")
    assert servers._proc_field(status, "VmRSS") == 123456
    assert servers._proc_field(status, "Rss") == 0  # a whole key, not a prefix of one
    assert servers._proc_field(tmp_path / "gone", "VmRSS") == 0


def test_the_mock_is_started_by_this_python() -> None:
    command = servers.mockserver_command(8123, "--workers", "1")
    assert command == [
        sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", "8123", "--workers", "1"
    ]  # fmt: skip
