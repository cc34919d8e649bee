"""One log line per request on the ``mockserver.requests`` logger: method, target, status, time."""

from __future__ import annotations

import logging
import re

import pytest
from flask.testing import FlaskClient

from mockserver.http.request_log import MAX_LOGGED_TARGET, logged
from tests.mockserver.conftest import AUTH, PATH


def test_one_log_line_per_request(make_client, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(log_requests=True)
    with caplog.at_level(logging.INFO, logger="mockserver.requests"):
        client.get(f"{PATH}?limit=2", headers=AUTH)
        client.get(f"{PATH}?limit=0", headers=AUTH)
    lines = [record.getMessage() for record in caplog.records if record.name == "mockserver.requests"]
    assert len(lines) == 2
    assert re.fullmatch(r"GET /v2/customers\?limit=2 200 \d+\.\dms", lines[0])
    assert re.fullmatch(r"GET /v2/customers\?limit=0 400 \d+\.\dms", lines[1])


def test_request_log_can_be_turned_off(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mockserver.requests"):
        client.get(PATH, headers=AUTH)
    assert not [record for record in caplog.records if record.name == "mockserver.requests"]


def test_a_huge_target_is_cut_short_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    def answer(environ: dict, start_response) -> list[bytes]:
        start_response("204 No Content", [])
        return []

    query = "name=" + "x" * 5000
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": PATH, "QUERY_STRING": query}
    with caplog.at_level(logging.INFO, logger="mockserver.requests"):
        logged(answer)(environ, lambda status, headers, exc_info=None: None)
    (line,) = [record.getMessage() for record in caplog.records if record.name == "mockserver.requests"]
    target = f"{PATH}?{query}"
    assert line.startswith(f"GET {target[:MAX_LOGGED_TARGET]}… ({len(target)} characters) 204 ")
