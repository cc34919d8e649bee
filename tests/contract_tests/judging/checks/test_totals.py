"""Relations between counts: opposites partition the whole, lists add up, filters never add, the sort never counts."""

from __future__ import annotations

import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.totals import (
    total_ignores_sort,
    totals_affix_within_contains,
    totals_case_variants,
    totals_list_sum,
    totals_longer_needle,
    totals_narrowing,
    totals_partition,
)
from contract_tests.judging.context import Context
from contract_tests.judging.failures import TotalsViolation
from contract_tests.judging.registry import NOT_JUDGED
from contract_tests.sending.transport import Response
from customers_spec import SortKey
from customers_spec.terms import filter_condition, general_condition


def _general(ctx: Context, path: str, operator: str, value: str) -> Case:
    condition = general_condition(ctx.spec, "generalField", path, operator, value)
    query = (("generalField[field]", path), ("generalField[operator]", operator), ("generalField[value]", value))
    return Case("valid", query, (condition,))


def test_the_mocks_counts_agree_with_one_another(ctx: Context) -> None:
    statuses = Case("valid", (("status", "1,2"),), (filter_condition(ctx.spec.filters["status"], "1,2"),))
    needle = "er"
    name = Case("valid", (("name", needle),), (filter_condition(ctx.spec.filters["name"], needle),))
    sorted_name = name.with_sort(ctx.spec.sort.grammar, (SortKey("name"),))
    judged = [
        (totals_partition, _general(ctx, "number", "gt", "5")),
        (totals_list_sum, statuses),
        (totals_case_variants, name),
        (totals_longer_needle, name),
        (totals_affix_within_contains, _general(ctx, "name", "startsWith", "G")),
        (totals_narrowing, statuses),
        (total_ignores_sort, sorted_name),
    ]
    for check, case in judged:
        assert check(ctx.for_example(), case, ctx.send(case)) is None, check.__name__


def test_nothing_to_relate_judges_nothing(ctx: Context) -> None:
    plain = Case("valid", (("limit", "3"),))
    page = ctx.send(plain)
    for check in (totals_partition, totals_list_sum, totals_case_variants, totals_narrowing):
        assert check(ctx, plain, page) is NOT_JUDGED, check.__name__


def test_counts_that_do_not_add_up_are_a_violation(ctx: Context) -> None:
    case = _general(ctx, "number", "gt", "5")
    view = ctx.for_example()
    total, url = view.count(case, TotalsViolation)
    view._counted[case.with_params(limit=1, offset=None).query] = (total + 1, url)
    with pytest.raises(TotalsViolation, match="gt \\+ lte \\+ exists on number with '5' to add up"):
        totals_partition(view, case, Response(url, 200, {}, b"[]"))
