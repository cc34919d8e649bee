"""The checks of claims only a description makes, read from ``x-unique-within``, ``x-not-before``, ``x-also-at``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.stated import not_before, path_spellings, unique_within
from contract_tests.judging.context import Context
from contract_tests.judging.failures import NotDeterministic, SchemaViolation
from contract_tests.judging.registry import NOT_JUDGED


def _page(ctx: Context) -> tuple[Case, Any]:
    case = Case("valid").with_params(limit=10)
    return case, ctx.send(case)


def test_the_mock_meets_every_described_claim(ctx: Context) -> None:
    case, response = _page(ctx)
    assert unique_within(ctx, case, response) is None
    assert not_before(ctx, case, response) is None
    bare = Case("valid")
    assert path_spellings(ctx, bare, ctx.send(bare)) is None
    assert path_spellings(ctx, case, response) is NOT_JUDGED, "only the request without parameters is repeated"


def test_two_customers_with_one_number_in_a_company_are_caught(ctx: Context) -> None:
    case, response = _page(ctx)
    items = copy.deepcopy(ctx.items(response) or [])
    items[1].update(number=items[0]["number"], companyId=items[0]["companyId"])
    response.memo["items"] = items
    with pytest.raises(SchemaViolation, match="number unique within companyId"):
        unique_within(ctx, case, response)


def test_a_modification_before_the_creation_is_caught(ctx: Context) -> None:
    case, response = _page(ctx)
    items = copy.deepcopy(ctx.items(response) or [])
    items[0]["status"].update(createdAt="2024-05-02T10:00:00Z", lastModifiedAt="2024-05-02T09:59:59Z")
    response.memo["items"] = items
    with pytest.raises(SchemaViolation, match=r"status\.lastModifiedAt not before status\.createdAt"):
        not_before(ctx, case, response)


def test_a_trailing_slash_answered_otherwise_is_caught(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    """A server whose trailing-slash route ignores the query's defaults: it answers one customer only."""

    def wrapped(app: Any) -> Any:
        def serve(environ: dict[str, Any], start_response: Any) -> Any:
            if environ["PATH_INFO"].endswith("/"):
                environ = {**environ, "QUERY_STRING": "limit=1"}
            return app(environ, start_response)

        return serve

    ctx = in_process(wrapped(mock_app()))
    bare = Case("valid")
    with pytest.raises(NotDeterministic, match="/v2/customers/"):
        path_spellings(ctx, bare, ctx.send(bare))
