"""The server with several violations: the named faults' middlewares around the mock, none for the correct one."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from customers_spec.datafile import Dataset
from selftest.faults import FAULTS
from selftest.kit_setup import API_KEY
from selftest.several_faults import SEVERAL, several_faults_app


@pytest.fixture(scope="module")
def small_dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(40, 11)


def test_the_named_faults_are_all_answer_faults_of_the_self_test() -> None:
    wrapped = {fault.name for fault in FAULTS if fault.wrap is not None}
    assert len(SEVERAL) == 4 and set(SEVERAL) <= wrapped


def test_the_faults_change_the_answers_and_none_leaves_the_mock_correct(small_dataset: Dataset) -> None:
    pages = []
    for names in ((), SEVERAL):
        client = Client(several_faults_app(small_dataset, names, api_keys=frozenset({API_KEY})))
        answer = client.get("/v2/customers?limit=2&offset=2", headers={"x-API-Key": API_KEY})
        assert answer.status_code == 200
        pages.append((len(answer.json), int(answer.headers["X-Total-Count"])))  # type: ignore[arg-type]
    (correct_items, correct_total), (faulty_items, faulty_total) = pages
    assert (correct_items, faulty_items) == (2, 3), "limit off by one"
    assert faulty_total == correct_total + 1, "X-Total-Count one too many"
