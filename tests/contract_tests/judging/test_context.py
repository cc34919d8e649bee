"""The context checks share: URLs, paging values, the documented responses, follow-ups and the data sample."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import PagingViolation
from contract_tests.sending.transport import Response
from customers_spec.datafile import Dataset
from customers_spec.errors import KitError


def test_urls_and_paging_values_come_from_the_spec(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    assert ctx.url(()) == "http://localhost/v2/customers"
    assert ctx.url((("name", "a b"), ("ids", "1,2"))) == "http://localhost/v2/customers?name=a%20b&ids=1%2C2"
    assert (ctx.limit(Case("valid")), ctx.offset(Case("valid"))) == (100, 0)
    assert (ctx.limit(Case("valid", (("limit", "7"),))), ctx.page_limit) == (7, 1000)
    assert ctx.total(Response("u", 200, {"X-Total-Count": " 12 "}, b"")) == 12
    assert ctx.total(Response("u", 200, {"X-Total-Count": "many"}, b"")) is None


def test_the_documented_responses_and_valid_pages(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    documented = ctx.documented(200)
    assert documented is not None and documented.media_type == "application/json"
    assert {"X-Total-Count", "Link"} <= set(documented.headers) and ctx.documented(418) is None
    page = ctx.send(Case("valid", (("limit", "2"),)))
    items = ctx.items(page)
    assert items is not None and len(items) == 2 and ctx.body_valid(page)
    assert ctx.items(Response(page.url, 200, {}, b'[{"number": "one"}]')) is None
    assert ctx.items(Response(page.url, 400, {}, page.body)) is None


def test_follow_ups_collect_count_and_fail_as_asked(
    mock_app: Callable[..., Any], in_process: Callable[..., Context], dataset: Dataset
) -> None:
    ctx = in_process(mock_app())
    assert ctx.everything is not None and len(ctx.everything) == len(dataset.customers)
    assert ctx.sample.total == len(dataset.customers)
    case = Case("valid", (("status", "1"), ("limit", "3")))
    collected = ctx.collect(case, PagingViolation)
    total, url = ctx.count(case, PagingViolation)
    assert collected is not None and len(collected) == total and url.endswith("status=1&limit=1")
    view = ctx.for_example()
    assert view.spec is ctx.spec and view.transport is ctx.transport and view._collected == {}
    with pytest.raises(PagingViolation, match="200 with a valid page"):
        ctx.page(Case("valid", (("limit", "abc"),)), PagingViolation, offset=0)


def test_a_refused_key_stops_before_the_run(mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> None:
    with pytest.raises(KitError, match="the server refused the API key"):
        in_process(mock_app(api_keys=frozenset({"another-key"})))
