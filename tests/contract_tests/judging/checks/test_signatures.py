"""Choosing witnesses: items grouped by which operators their values meet, taken in turn from each group."""

from __future__ import annotations

from typing import Any

from contract_tests.judging.checks.signatures import identified, nearness, signatures, varied
from contract_tests.judging.context import Context
from customers_spec import Spec
from customers_spec.terms import general_condition


def test_witnesses_are_taken_in_turn_from_each_group() -> None:
    records: list[dict[str, Any]] = [{"n": n} for n in range(6)]
    keys = ["a", "a", "a", "b", "b", "c"]
    chosen = varied(records, keys, 4)
    assert [record["n"] for record in chosen] == [0, 3, 5, 1]


def test_items_that_meet_the_same_operators_share_a_signature(spec: Spec) -> None:
    records: list[dict[str, Any]] = [{"number": 5}, {"number": 5}, {"number": 7}, {}, {"number": None}]
    condition = general_condition(spec, "generalField", "number", "gt", "5")
    keys = signatures(records, [condition], spec, {})
    assert keys[0] == keys[1] and len({keys[0], keys[2], keys[3]}) == 3
    assert keys[3] != keys[4], "an absent key and an explicit null are different witnesses"
    assert signatures(records, [], spec, {}) == [()] * 5


def test_the_witnesses_are_the_sampled_items_with_an_identity(spec: Spec, in_process: Any, mock_app: Any) -> None:
    ctx: Context = in_process(mock_app())
    rule = spec.filters["ids"]
    found = identified(ctx, rule)
    assert found and len(found) == len(ctx.sample.records) and identified(ctx, rule) is found


def test_a_near_miss_of_the_value_is_a_witness_of_its_own(spec: Spec) -> None:
    """What a lenient reading would also meet: folded text, wildcards, a number's digits, a time zone away."""
    from datetime import UTC, datetime, timedelta

    assert nearness("gn_tz hyg")("Gnatz Hygiene") and nearness(" GNÄTZ ")("Gnatz") and nearness("G%e")("Gnatz Hygiene")
    assert not nearness("Gnatz x")("Gnatz Hygiene") and not nearness("")("x") and not nearness("a")(None)
    assert nearness(123)(1234) and nearness(1234.5)(1234) and not nearness(124)(1234)
    moment = datetime(2018, 7, 18, 7, 55, tzinfo=UTC)
    assert nearness(moment)(moment + timedelta(hours=2)) and not nearness(moment)(moment + timedelta(days=2))
    records: list[dict[str, Any]] = [{"name": "Gnatz Hygiene"}, {"name": "Zeta"}, {"name": "Zulu"}]
    condition = general_condition(spec, "generalField", "name", "contains", "Gn_tz")
    keys = signatures(records, [condition], spec, {})
    assert keys[1] == keys[2] != keys[0], "the customer LIKE would find is apart from those nothing finds"
