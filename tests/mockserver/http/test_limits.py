"""Bounds on what a request may carry: no query costs more than any valid one could."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from customers_spec import Spec
from mockserver.http.limits import MAX_QUERY_BYTES
from tests.mockserver.conftest import AUTH, PATH, problem


def test_query_past_the_limit_is_414(client: FlaskClient, spec: Spec) -> None:
    problem(client.get(f"{PATH}?name={'a' * (MAX_QUERY_BYTES + 1)}", headers=AUTH), spec, 414)


@pytest.mark.parametrize("name", ["name", "ids", "sort", "generalField[value]", "status", "limit"])
def test_64_kb_values_are_answered_not_crashed(client: FlaskClient, name: str) -> None:
    response = client.get(f"{PATH}?{name}={'7' * 65536}", headers=AUTH)
    assert response.status_code == 400
    assert len(response.data) < 4096
