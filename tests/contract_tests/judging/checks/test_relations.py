"""Relation checks: ids of no related record find nobody; a list of ids finds the union of each id alone."""

from __future__ import annotations

import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.relations import relation_union, relation_unknown_ids, relations_of, unknown_id
from contract_tests.judging.context import Context
from contract_tests.judging.registry import NOT_JUDGED
from customers_spec.terms import filter_condition


def test_unknown_ids_repeat_for_a_seed_and_avoid_the_known_ones() -> None:
    first = unknown_id("seed", set())
    assert len(first) == 24 and unknown_id("seed", set()) == first
    assert unknown_id("seed", {first}) != first


def test_the_mock_honours_relation_filters(ctx: Context) -> None:
    ids = list(ctx.sample.of_related("objects", "_id")[:2])
    assert len(ids) == 2
    condition = filter_condition(ctx.spec.filters["objectIds"], ids)
    case = Case("valid", (("objectIds", ",".join(ids)),), (condition,))
    assert relations_of(case) == [condition]
    page = ctx.send(case)
    assert relation_unknown_ids(ctx.for_example(), case, page) is None
    assert relation_union(ctx.for_example(), case, page) is None
    plain = Case("valid", (("limit", "3"),))
    assert relation_unknown_ids(ctx, plain, ctx.send(plain)) is NOT_JUDGED
    assert relation_union(ctx, plain, ctx.send(plain)) is NOT_JUDGED


@pytest.mark.parametrize("written", [["a"], ["a", "a"]])
def test_one_distinct_id_has_no_union_to_judge(ctx: Context, written: list[str]) -> None:
    ids = [ctx.sample.of_related("objects", "_id")[0]] * len(written)
    case = Case("valid", (("objectIds", ",".join(ids)),), (filter_condition(ctx.spec.filters["objectIds"], ids),))
    assert relation_union(ctx, case, ctx.send(case)) is NOT_JUDGED
