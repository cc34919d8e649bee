"""The helpers of the size-independent meaning checks, and that an engine fault is consistent."""

from __future__ import annotations

from typing import Any

import orjson
from werkzeug.test import Client

from contract_tests.generation.conformance import conforms
from contract_tests.generation.value_strategies import date_formats
from contract_tests.judging.checks.signatures import varied
from contract_tests.judging.checks.variants import identity_rule
from contract_tests.judging.checks.witnesses import probes
from customers_spec import Spec
from customers_spec.values import parse_datetime
from mockserver.dataset import Dataset
from selftest.faults import ENGINE_FAULTS, faulty_app
from tests.contract_tests.conftest import API_KEY


def test_every_date_format_is_accepted_and_names_the_same_instant_or_its_day(spec: Spec) -> None:
    moment = parse_datetime("2024-03-05T06:07:08.123Z")
    general = spec.parameters["generalField"]
    for written in date_formats(moment):
        value = {"field": "status.createdAt", "operator": "gt", "value": written}
        assert conforms(spec, general, value), written
        parsed = parse_datetime(written)
        assert parsed == moment or parsed.isoformat().startswith("2024-03-05T00:00:00"), written


def test_probes_ask_every_operator_the_field_type_allows(spec: Spec) -> None:
    for path, field_type in spec.field_types.items():
        clause = spec.general_clause(path, "eq")
        asked = {operator for operator, _ in probes(spec, clause, "abc")}
        assert asked == set(spec.operators_by_type[field_type]), path


def test_witnesses_are_taken_in_turn_from_each_group() -> None:
    records: list[dict[str, Any]] = [{"n": n} for n in range(6)]
    keys = ["a", "a", "a", "b", "b", "c"]
    chosen = varied(records, keys, 4)
    assert [record["n"] for record in chosen] == [0, 3, 5, 1]


def test_the_identity_filter_is_read_from_the_spec(spec: Spec) -> None:
    rule = identity_rule(spec)
    assert rule is not None
    assert rule.clauses[0].path == spec.sort.tie_breaker.path


def test_an_engine_fault_keeps_totals_pages_and_links_consistent(dataset: Dataset) -> None:
    """A boundary fault changes the count, and paging through the result yields exactly that many items."""
    fault = next(each for each in ENGINE_FAULTS if each.name == "gt as gte")
    client = Client(faulty_app(fault, dataset, api_keys=frozenset({API_KEY})))
    value = sorted(customer["number"] for customer in dataset.customers)[10]
    query = f"generalField[field]=number&generalField[operator]=gt&generalField[value]={value}"
    first = client.get(f"/v2/customers?{query}&limit=7", headers={"x-API-Key": API_KEY})
    total = int(first.headers["X-Total-Count"])
    assert total == sum(customer["number"] >= value for customer in dataset.customers)
    seen = []
    for offset in range(0, total, 7):
        page = client.get(f"/v2/customers?{query}&limit=7&offset={offset}", headers={"x-API-Key": API_KEY})
        seen.extend(item["_id"] for item in orjson.loads(page.get_data()))
    assert len(set(seen)) == total
    assert 'rel="last"' in first.headers["Link"]
