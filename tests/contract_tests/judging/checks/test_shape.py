"""Shape checks: a documented status, its media type, a body valid against its schema, the documented headers."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.shape import (
    content_type,
    excerpt,
    headers_documented,
    not_server_error,
    response_schema,
    status_code_documented,
)
from contract_tests.judging.context import Context
from contract_tests.judging.failures import (
    HeaderViolation,
    SchemaViolation,
    ServerError,
    UndocumentedStatus,
    WrongContentType,
)
from contract_tests.judging.registry import NOT_JUDGED
from contract_tests.sending.transport import Response

CASE = Case("valid", (("limit", "2"),))


def test_a_conforming_page_passes_every_shape_check(ctx: Context) -> None:
    page = ctx.send(CASE)
    for check in (not_server_error, status_code_documented, content_type, response_schema, headers_documented):
        assert check(ctx, CASE, page) is None, check.__name__


def test_a_server_error_and_an_undocumented_status_are_violations(ctx: Context) -> None:
    with pytest.raises(ServerError, match="got 500 oops"):
        not_server_error(ctx, CASE, Response("u", 500, {}, b"oops"))
    assert status_code_documented(ctx, CASE, Response("u", 500, {}, b"")) is NOT_JUDGED
    with pytest.raises(UndocumentedStatus, match="expected one of 200, 400, 401"):
        status_code_documented(ctx, CASE, Response("u", 418, {}, b""))


def test_a_wrong_media_type_a_bad_body_and_a_missing_header_are_named(ctx: Context) -> None:
    page = ctx.send(CASE)
    with pytest.raises(WrongContentType, match="expected application/json; got 'text/plain'"):
        content_type(ctx, CASE, replace(page, headers={**page.headers, "Content-Type": "text/plain"}))
    items = orjson.loads(page.body)
    items[1]["number"] = "2"
    with pytest.raises(SchemaViolation) as raised:
        response_schema(ctx, CASE, Response(page.url, 200, page.headers, orjson.dumps(items)))
    assert raised.value.path == "$[1].number"
    with pytest.raises(SchemaViolation, match="a JSON body"):
        response_schema(ctx, CASE, Response(page.url, 200, page.headers, b"<html>"))
    headers = {name: value for name, value in page.headers.items() if name != "X-Total-Count"}
    with pytest.raises(HeaderViolation, match="a X-Total-Count header"):
        headers_documented(ctx, CASE, Response(page.url, 200, headers, page.body))


def test_a_problem_must_carry_its_own_status(ctx: Context) -> None:
    problem = ctx.send(Case("invalid", (("limit", "abc"),), invalid="limit"))
    assert response_schema(ctx, CASE, problem) is None
    body = {**orjson.loads(problem.body), "status": 500}
    with pytest.raises(SchemaViolation, match="expected status 400 in the problem"):
        response_schema(ctx, CASE, Response(problem.url, 400, problem.headers, orjson.dumps(body)))


def test_an_excerpt_is_cut_short() -> None:
    assert excerpt(Response("u", 500, {}, b"x" * 300)) == "x" * 200 + "…"
