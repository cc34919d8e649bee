"""The SQL answers what the kit's oracle says, on requests the kit draws; each fault's SQL answers otherwise.

Over still data at 1,000 customers, in-process: the staging and ``contract_tests.judging.oracle`` are two
readings of the spec written apart, so their agreement on drawn requests (every filter, sort and page the kit
generates, with the data's own values) is evidence for both. Each fault of ``readings.FAULTS`` is shown to answer
a request that tells it from the spec's reading differently, so that no fault is a reading that changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from werkzeug.test import Client

from contract_tests.generation.cases import Case
from contract_tests.generation.sample import sample_from
from contract_tests.generation.strategies import valid_cases
from contract_tests.judging import oracle
from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.wire import encode_query
from selftest.kit_setup import API_KEY
from selftest.sqlstaging import FAULTS, Staging
from selftest.sqlstaging.query import bound
from tests.selftest.sqlstaging.conftest import ask

DRAWN = 40


def test_drawn_requests_are_answered_as_the_oracle_answers_them(
    spec: Spec, thousand: Dataset, staged: Callable[..., Staging]
) -> None:
    client = Client(staged().app)
    sample = sample_from(spec, thousand.customers, related={"objects": thousand.objects})
    judged: list[int] = []

    @settings(max_examples=DRAWN, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(valid_cases(spec, sample=sample))
    def agree(case: Case) -> None:
        answer = client.get(f"{spec.path}?{encode_query(case.query)}", headers={spec.api_key_header: API_KEY})
        assert answer.status_code == 200, (case.query, answer.data)
        keys = spec.sort.ordered_by(case.sort)
        expected = oracle.select(thousand.customers, case.conditions, keys, thousand.objects, spec=spec)
        limit = int(case.value(spec.pagination.limit) or spec.parameters[spec.pagination.limit].default)
        offset = int(case.value(spec.pagination.offset) or 0)
        assert int(answer.headers[spec.pagination.total_header]) == len(expected), case.query
        got = [item["_id"] for item in orjson.loads(answer.data)]
        assert got == [item["_id"] for item in expected[offset : offset + limit]], case.query
        judged.append(len(expected))

    agree()
    assert len(judged) == DRAWN and sum(1 for total in judged if 0 < total < len(thousand.customers)) > DRAWN // 8


# For each fault, a request on which it answers otherwise than the spec (the data is generated: GmbH names,
# customers without a contact person, ties in status.status).
TELLING: dict[str, str] = {
    "like pattern": "name=gmb_",
    "trimmed input": "name=gmbh%20%20",
    "case-sensitive contains": "name=GMBH",
    "nameAndAddress without city": "nameAndAddress={city}",
    "no tie-breaker": "sort=status.status:1&limit=1000",
    "missing values highest": "sort=contactPerson:1&limit=5",
    "offset off by one": "limit=3",
    "total before filtering": "name=gmbh&limit=1",
    "ne drops no value": "generalField[field]=contactPerson&generalField[operator]=ne&generalField[value]=x",
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_answers_a_telling_request_otherwise(
    spec: Spec, thousand: Dataset, staged: Callable[..., Staging], fault: str
) -> None:
    assert fault in TELLING, f"add a request that tells {fault!r} from the spec's reading to TELLING"
    query = TELLING[fault].format(city=thousand.customers[0]["address"]["city"])
    right, wrong = ask(staged(), spec, query), ask(staged(fault), spec, query)
    assert right[0] == wrong[0] == 200
    total = spec.pagination.total_header
    assert ([item["_id"] for item in right[1]], right[2][total]) != (
        [item["_id"] for item in wrong[1]],
        wrong[2][total],
    )


def test_values_are_bound_as_the_columns_hold_them() -> None:
    from datetime import UTC, datetime

    assert bound(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)) == 1_000_000
    assert bound(True) == 1 and bound("x") == "x" and bound(2.5) == 2.5
