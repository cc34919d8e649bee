"""``mockserver reset --url``: a running mock back to its start dataset (one tenant, or all), one line saying so;
a URL that is no mock with writes is one line and exit 2."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.cli import main
from mockserver.config import Config
from tests.conftest import EXAMPLE_SPEC
from tests.mockserver.conftest import AUTH


@pytest.fixture
def served(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, object]]:
    """The example's app served in a thread on a free loopback port (werkzeug: enough for a command's request)."""
    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    app = create_app(Config(spec=EXAMPLE_SPEC, log_requests=False), dataset=dataset)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_reset_forgets_a_tenant_s_writes_and_says_how_many(served: tuple[str, object], dataset: Dataset) -> None:
    url, app = served
    web = app.test_client()  # type: ignore[attr-defined]
    body = {key: value for key, value in dataset.customers[0].items() if key not in ("_id", "number")}
    assert web.post("/v2/customers", json=body, headers={**AUTH, "X-Mock-Tenant": "w1"}).status_code == 201
    result = CliRunner().invoke(main, ["reset", "--url", url, "--tenant", "w1"])
    assert result.exit_code == 0 and "reset tenant 'w1': 1 writes forgotten" in result.output
    assert web.get("/v2/customers", headers={**AUTH, "X-Mock-Tenant": "w1"}).headers["X-Total-Count"] == str(
        len(dataset.customers)
    )
    everyone = CliRunner().invoke(main, ["reset", "--url", url + "/", "--all"])
    assert everyone.exit_code == 0 and "reset every tenant: 0 writes forgotten" in everyone.output


def test_a_url_without_a_reset_is_one_line_and_exit_2(served: tuple[str, object]) -> None:
    url, _ = served
    result = CliRunner().invoke(main, ["reset", "--url", url + "/v2"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "answered 404" in result.output
