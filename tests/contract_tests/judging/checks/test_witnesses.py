"""The witness checks' probes, and that an engine fault is consistent (what witnesses rely on)."""

from __future__ import annotations

import orjson
from werkzeug.test import Client

from contract_tests.judging.checks.witnesses import probes
from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.faults import ENGINE_FAULTS, faulty_app
from tests.contract_tests.conftest import API_KEY


def test_probes_ask_every_operator_the_field_type_allows(spec: Spec) -> None:
    for path, field_type in spec.field_types.items():
        clause = spec.general_clause(path, "eq")
        asked = {operator for operator, _ in probes(spec, clause, "abc")}
        assert asked == set(spec.operators_by_type[field_type]), path


def test_an_engine_fault_keeps_totals_pages_and_links_consistent(dataset: Dataset) -> None:
    """A boundary fault changes the count, and paging through the result yields exactly that many items."""
    fault = next(each for each in ENGINE_FAULTS if each.name == "gt as gte")
    client = Client(faulty_app(fault, dataset, api_keys=frozenset({API_KEY})))
    value = sorted(customer["number"] for customer in dataset.customers)[10]
    query = f"generalField[field]=number&generalField[operator]=gt&generalField[value]={value}"
    first = client.get(f"/v2/customers?{query}&limit=7", headers={"x-API-Key": API_KEY})
    total = int(first.headers["X-Total-Count"])
    assert total == sum(customer["number"] >= value for customer in dataset.customers)
    seen: list[str] = []
    for offset in range(0, total, 7):
        page = client.get(f"/v2/customers?{query}&limit=7&offset={offset}", headers={"x-API-Key": API_KEY})
        seen.extend(item["_id"] for item in orjson.loads(page.get_data()))
    assert len(set(seen)) == total
    assert 'rel="last"' in first.headers["Link"]
