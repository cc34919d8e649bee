"""The ``Prefer`` header a frontend tests itself with: ``code=N`` (a forced problem) and ``delay=MS``."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from customers_spec import Spec
from mockserver.http.prefer import FORCEABLE_CODES, apply_delay, forced_problems, preferences
from tests.mockserver.conftest import AUTH, PATH, problem


@pytest.mark.parametrize("status", [400, 401, 500])
def test_prefer_code_returns_that_problem(client: FlaskClient, spec: Spec, status: int) -> None:
    response = client.get(PATH, headers={**AUTH, "Prefer": f"code={status}"})
    problem(response, spec, status)
    assert response.headers["Preference-Applied"] == f"code={status}"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_prefer_code_400_is_the_spec_example(client: FlaskClient, spec: Spec) -> None:
    body = problem(client.get(PATH, headers={"Prefer": "code=400"}), spec, 400)
    example = spec.document["components"]["responses"]["BadRequest"]["content"]["application/problem+json"]
    assert body == example["example"]


def test_prefer_unknown_or_unsupported_is_ignored(client: FlaskClient) -> None:
    for prefer in ("code=200", "code=abc", "return=minimal", "code=999"):
        response = client.get(PATH, headers={**AUTH, "Prefer": prefer})
        assert response.status_code == 200, prefer
        assert "Preference-Applied" not in response.headers


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr("mockserver.http.prefer.time.sleep", slept.append)
    return slept


def test_prefer_delay_is_bounded(client: FlaskClient, sleeps: list[float]) -> None:
    response = client.get(PATH, headers={**AUTH, "Prefer": "delay=250"})
    assert response.status_code == 200
    assert response.headers["Preference-Applied"] == "delay=250"
    client.get(PATH, headers={**AUTH, "Prefer": "delay=999999, code=500"})
    assert sleeps == [0.25, 30.0]


def test_configured_delay_applies_to_every_answer(make_client, sleeps: list[float]) -> None:
    client = make_client(delay_ms=40)
    client.get(PATH, headers=AUTH)
    client.get(PATH)
    client.get(PATH, headers={**AUTH, "Prefer": "delay=0"})
    assert sleeps == [0.04, 0.04]


def test_a_real_delay_is_slept(make_client) -> None:
    import time

    client = make_client(delay_ms=50)
    started = time.perf_counter()
    client.get(PATH, headers=AUTH)
    assert time.perf_counter() - started >= 0.05


def test_preferences_are_numeric_case_blind_and_the_first_of_each_counts() -> None:
    assert preferences(None) == {} and preferences("") == {}
    header = 'Code=400; delay="250", code=500, return=minimal, wait=1e3, big=12345678901'
    assert preferences(header) == {"code": 400, "delay": 250}


def test_a_delay_applied_is_named_and_a_configured_one_is_not(sleeps: list[float]) -> None:
    assert apply_delay(40, {}) == []
    assert apply_delay(40, {"delay": 0}) == ["delay=0"]
    assert apply_delay(0, {"delay": 10**9}) == ["delay=30000"]
    assert sleeps == [0.04, 30.0]


def test_every_forceable_code_has_a_problem_body(spec: Spec) -> None:
    forced = forced_problems(spec.document, spec.operation)
    assert set(FORCEABLE_CODES) <= set(forced)
    assert all(forced[code]["status"] == code for code in forced)
