"""Servers started as real processes on loopback for benchmarks and hardening tests, and their memory.

A server runs in its own session (process group) so that stopping it ends its workers too; readiness is a
bounded poll of a URL, never a fixed sleep; memory is read from ``/proc`` over the whole process tree.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ServerStartError(RuntimeError):
    """A server did not start or answer in time; the message carries the end of its output."""


@dataclass
class Server:
    """A running server process: its base URL, its process and where its output goes."""

    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    started_at: float

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 4000) -> str:
        """The end of what the server printed (stdout and stderr together)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def pids(self) -> list[int]:
        """The server's process and all its descendants (a gunicorn master and its workers)."""
        return process_tree(self.pid)

    def wait_processes(self, count: int, timeout_s: float = 30.0) -> list[int]:
        """The process tree once it has ``count`` processes (e.g. a master and its workers); bounded poll."""
        deadline = time.monotonic() + timeout_s
        while (pids := self.pids()) and len(pids) != count:
            if time.monotonic() > deadline:
                raise ServerStartError(f"expected {count} processes, found {len(pids)}:\n{self.log_tail()}")
            time.sleep(0.02)
        return pids

    def rss_bytes(self) -> int:
        """Resident memory of the whole process tree (shared pages counted once per process)."""
        return sum(_status_kib(pid, "VmRSS") for pid in self.pids()) * 1024

    def pss_bytes(self) -> int:
        """Proportional memory of the whole tree: pages shared after fork are split, not counted twice."""
        return sum(_smaps_rollup_kib(pid, "Pss") for pid in self.pids()) * 1024

    def anonymous_bytes(self) -> int:
        """Private (anonymous) resident memory of the whole tree: RSS without its files' pages."""
        return sum(_status_kib(pid, "RssAnon") for pid in self.pids()) * 1024


def shared_memory_bytes() -> int:
    """What the machine's shared-memory files (``/dev/shm``, tmpfs) hold, mapped or not: the part of a
    process's files in memory that no RSS shows until the process maps and reads them."""
    return _proc_field(Path("/proc/meminfo"), "Shmem") * 1024


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def console_script(name: str) -> str:
    """The console script ``name`` installed beside this Python (or on PATH); the package installs it."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f'{name} is not installed: run `pip install -e ".[test]"`')
    return found


def schemathesis_command(base_url: str, api_key: str, *options: str) -> list[str]:
    """Schemathesis (``st run``) on the shipped spec against ``base_url``, sending the key in the spec's header."""
    from customers_spec import load_spec, resources

    header = f"{load_spec().api_key_header}: {api_key}"
    return [console_script("st"), "run", str(resources.spec_path()), "--url", base_url, "--header", header, *options]


def mockserver_command(port: int, *options: str, host: str = "127.0.0.1") -> list[str]:
    """``mockserver serve`` on ``host:port`` run by this Python, so the installed package is the one tested."""
    return [sys.executable, "-m", "mockserver", "serve", "--host", host, "--port", str(port), *options]


@contextlib.contextmanager
def running_mock(*options: str, ready_path: str = "/openapi.yaml", timeout_s: float = 30.0) -> Iterator[Server]:
    """``mockserver serve OPTIONS`` under gunicorn on a free port of 127.0.0.1, answering (``ready_path`` needs no
    key), stopped afterwards."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running(mockserver_command(port, *options), base_url, ready_path=ready_path, timeout_s=timeout_s) as server:
        yield server


def start(command: Sequence[str], base_url: str) -> Server:
    """Start ``command`` in its own process group with its output in a temporary log file."""
    log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )
    log.close()
    return Server(process=process, base_url=base_url, log_path=Path(log.name), started_at=time.perf_counter())


def wait_ready(
    server: Server, path: str = "/", *, timeout_s: float = 30.0, headers: dict[str, str] | None = None
) -> float:
    """Poll ``path`` until the server answers with any HTTP status; seconds since start. Bounded by timeout_s."""
    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(server.base_url + path, headers=headers or {})
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerStartError(f"server exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(request, timeout=2):
                pass
            return time.perf_counter() - server.started_at
        except urllib.error.HTTPError:
            return time.perf_counter() - server.started_at
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.02)
    stop(server)
    raise ServerStartError(f"server did not answer {path} within {timeout_s:.0f} s:\n{server.log_tail()}")


def stop(server: Server, grace_s: float = 10.0) -> None:
    """SIGTERM to the server's own process group, SIGKILL after ``grace_s``; removes the log file."""
    if server.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.process.pid, signal.SIGKILL)  # stragglers of the group, e.g. orphaned workers
    server.log_path.unlink(missing_ok=True)


@contextlib.contextmanager
def running(
    command: Sequence[str],
    base_url: str,
    *,
    ready_path: str = "/",
    timeout_s: float = 30.0,
    headers: dict[str, str] | None = None,
) -> Iterator[Server]:
    """A started, answering server for the ``with`` block, stopped afterwards whatever happens."""
    server = start(command, base_url)
    try:
        wait_ready(server, ready_path, timeout_s=timeout_s, headers=headers)
        yield server
    finally:
        stop(server)


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from the parent pids in ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _parent_pid(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks; 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of proc(5)


def _parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[1])  # after "pid (comm) state": the ppid


def _status_kib(pid: int, key: str) -> int:
    return _proc_field(Path(f"/proc/{pid}/status"), key)


def _smaps_rollup_kib(pid: int, key: str) -> int:
    return _proc_field(Path(f"/proc/{pid}/smaps_rollup"), key)


def _proc_field(path: Path, key: str) -> int:
    """A ``Key:   123 kB`` line of a /proc file, in KiB; 0 when the process is gone."""
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0
