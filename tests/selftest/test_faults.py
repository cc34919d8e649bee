"""The faults as data: each named once, meant for checks that exist, and each rewrite doing what it says.

Whether the kit catches every fault is ``tests/contract_tests/test_faults.py``'s question; this module checks
the faults themselves.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
import pytest
from werkzeug.test import Client

from contract_tests.judging.registry import CHECKS
from contract_tests.judging.selection import select_checks
from customers_spec.datafile import Dataset
from selftest.faults import (
    ENGINE_FAULTS,
    FAULTS,
    MEANING,
    Fault,
    descending_tie_break,
    faulty_app,
    first_value_only,
    flipped_sort,
    limit_plus_one,
    offset_ignored,
    offset_minus_one,
    without,
)

HEADERS = {"x-API-Key": "any"}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    from mockserver.data.generate import generate_dataset

    return generate_dataset(30, 5)


def test_each_fault_has_one_name_one_kind_and_checks_that_exist() -> None:
    select_checks()  # registers the built-in checks
    faults = [*FAULTS, *ENGINE_FAULTS]
    assert [name for name, count in Counter(fault.name for fault in faults).items() if count > 1] == []
    for fault in faults:
        assert fault.caught_by and fault.caught_by <= set(CHECKS), fault.name
        assert sum([fault.wrap is not None, bool(fault.config), fault.engine is not None]) == 1, fault.name
    assert all(fault.caught_by == MEANING for fault in ENGINE_FAULTS)


def test_the_query_rewrites() -> None:
    pairs = (("name", "a"), ("generalField[field]", "number"), ("limit", "10"))
    assert without("generalField", "limit")(pairs) == (("name", "a"),)
    assert flipped_sort((("sort", "name:1,number:-1"),)) == (("sort", "name:-1,number:1"),)
    assert flipped_sort(()) == (("sort", "number:-1"),)  # the default order reversed too
    assert flipped_sort((("sort", "name"),)) == (("sort", "name"),)  # invalid: left for the mock to refuse
    assert descending_tie_break((("sort", "name:1"),)) == (("sort", "name:1,_id:-1"),)
    assert (limit_plus_one("10"), limit_plus_one("1000"), limit_plus_one("x")) == ("11", "1000", "x")
    assert (offset_minus_one("10"), offset_minus_one("0")) == ("9", "0")
    assert first_value_only("1,2,3") == "1"
    assert offset_ignored("2024-01-01T10:00:00+02:00") == "2024-01-01T10:00:00Z"


def get(app: Any, query: str = "") -> tuple[int, dict[str, str], Any]:
    answer = Client(app).get(f"/v2/customers?{query}", headers=HEADERS)
    return answer.status_code, dict(answer.headers), orjson.loads(answer.get_data())


def test_a_faulty_app_differs_from_the_mock_only_as_its_fault_says(dataset: Dataset) -> None:
    by_name = {fault.name: fault for fault in [*FAULTS, *ENGINE_FAULTS]}
    status, headers, items = get(faulty_app(by_name["offset ignored"], dataset), "limit=5&offset=5")
    assert status == 200 and headers["X-Total-Count"] == "30"
    _, _, first_page = get(faulty_app(by_name["offset ignored"], dataset), "limit=5")
    assert items == first_page
    _, headers, _ = get(faulty_app(by_name["X-Total-Count one too many"], dataset))
    assert headers["X-Total-Count"] == "31"
    mock = faulty_app(Fault("none", frozenset({"sort_order"})), dataset)  # no wrap, config or engine: the mock
    _, _, right = get(mock, "sort=vatNumber:1")
    _, _, wrong = get(faulty_app(by_name["absent values sort last"], dataset), "sort=vatNumber:1")
    assert right[0].get("vatNumber") is None  # the spec: absent values first
    assert wrong[-1].get("vatNumber") is None and sorted(map(str, right)) == sorted(map(str, wrong))  # reordered
