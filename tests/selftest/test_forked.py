"""An app built here, served on loopback by forked processes that each run a hook first, ended on exit."""

from __future__ import annotations

import os
import urllib.request
from typing import Any

from selftest.forked import forked_server
from selftest.servers import process_tree

STARTED: list[int] = []


def pid_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = f"{os.getpid()} {len(STARTED)}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def test_a_forked_process_serves_the_app_built_here_and_ends_with_the_block() -> None:
    with forked_server(pid_app, processes=2, in_child=lambda: STARTED.append(1)) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base_url, timeout=10) as answer:
            pid, started = (int(part) for part in answer.read().split())
        assert pid != os.getpid() and started == 1  # a child, after its hook ran there
        assert pid in process_tree(os.getpid())
    assert STARTED == []  # the hook ran in the children only
    assert pid not in process_tree(os.getpid())  # ended and reaped
