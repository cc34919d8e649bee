"""Mocks that get writes wrong, each one way, for proving the kit's write checks over HTTP: a create missing from
filtered lists, a PATCH that replaces the whole record, a DELETE that is forgotten, a number handed out twice in
a company, a write seen by one worker process and not the other (two apps over one state file, requests dealt
to them in turn, as gunicorn's workers share one log).

``serving(fault, dataset, state)`` serves the example spec's mock in a thread on a free loopback port, with the
fault (None: the correct mock) patched in for the block.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from flask import request
from werkzeug.serving import make_server

from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.http.live import Live
from mockserver.state.records import Uniques
from mockserver.state.tenants import State

EXAMPLE_SPEC = Path(__file__).resolve().parents[1] / "examples" / "customers-and-sites.yaml"
original_stores = Live.stores
original_write = State.write
original_state_stores = State.stores


def _stale_when_filtered(self: Live) -> Any:
    return self.base if request.query_string else original_stores(self)


def _forget_deletes(self: State, tenant: str, change: Callable[..., Any]) -> Any:
    def kept(view: Any) -> Any:
        entries = change(view)
        return [entry for entry in entries if entry[2] is not None] or entries[:0]

    return original_write(self, tenant, kept)


def _own_writes_only(self: State, tenant: str) -> Any:
    return original_state_stores(self, tenant) if self._views.get(tenant) is not None else self.base


def _largest_again(self: Uniques, path: str, within: str, scope: Any) -> int:
    largest = self.largest.get((path, within), {}).get(scope)
    return int(largest) if largest is not None else 1


FAULTS: dict[str, list[tuple[Any, str, Any]]] = {
    "create missing from filtered lists": [(Live, "stores", _stale_when_filtered)],
    "patch replaces the whole record": [("mockserver.state.records.merge_patch", "", lambda target, patch: patch)],
    "delete forgotten": [(State, "write", _forget_deletes)],
    "number used twice in a company": [
        (Uniques, "next_value", _largest_again),
        (Uniques, "conflict", lambda self, record, id_field: None),
    ],
    "a write seen by one worker only": [(State, "stores", _own_writes_only)],
}


@contextmanager
def serving(fault: str | None, dataset: Dataset, state: Path) -> Iterator[str]:
    """The base URL of the example's mock (two apps over ``state``, dealt requests in turn) with ``fault``."""
    with ExitStack() as stack:
        for target, name, replacement in FAULTS.get(fault or "", []):
            patcher = mock.patch(target, replacement) if not name else mock.patch.object(target, name, replacement)
            stack.enter_context(patcher)
        config = Config(spec=EXAMPLE_SPEC, log_requests=False, state=state)
        apps = [create_app(config, dataset=dataset) for _ in range(2)]
        turns = itertools.cycle(apps)
        lock = threading.Lock()

        def dealt(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            with lock:
                app = next(turns)
            return app(environ, start_response)

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines in the tests' output
        server = make_server("127.0.0.1", 0, dealt, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
