"""Input checks: a valid request gets 200, an invalid one a 400 naming its culprit, a missing key a 401."""

from __future__ import annotations

import orjson
import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.inputs import auth_enforced, invalid_input_rejected, valid_input_accepted
from contract_tests.judging.context import Context
from contract_tests.judging.failures import AuthNotEnforced, InvalidInputAccepted, ValidInputRejected
from contract_tests.judging.registry import NOT_JUDGED
from contract_tests.sending.transport import Response


def test_the_mock_answers_each_kind_as_the_contract_demands(ctx: Context) -> None:
    cases = [
        (valid_input_accepted, Case("valid", (("limit", "3"),))),
        (invalid_input_rejected, Case("invalid", (("generalField[field]", "nope"),), invalid="generalField")),
        (auth_enforced, Case("no_key")),
        (auth_enforced, Case("wrong_key")),
    ]
    for check, case in cases:
        assert check(ctx, case, ctx.send(case)) is None, case


def test_each_wrong_answer_is_a_violation_and_a_server_error_is_left_to_its_check(ctx: Context) -> None:
    valid, invalid = Case("valid"), Case("invalid", (("limit", "0"),), invalid="limit")
    with pytest.raises(ValidInputRejected, match="expected 200; got 400"):
        valid_input_accepted(ctx, valid, Response("u", 400, {}, b"{}"))
    with pytest.raises(InvalidInputAccepted, match="expected 400 for the invalid limit; got 200"):
        invalid_input_rejected(ctx, invalid, Response("u", 200, {}, b"[]"))
    with pytest.raises(AuthNotEnforced, match="expected 401 for a request with a wrong API key; got 200"):
        auth_enforced(ctx, Case("wrong_key"), Response("u", 200, {}, b"[]"))
    assert valid_input_accepted(ctx, valid, Response("u", 502, {}, b"")) is NOT_JUDGED
    assert invalid_input_rejected(ctx, invalid, Response("u", 500, {}, b"")) is NOT_JUDGED


def test_a_400_must_name_the_invalid_parameter(ctx: Context) -> None:
    invalid = Case("invalid", (("limit", "0"),), invalid="limit")
    naming = orjson.dumps({"errors": [{"name": "offset", "reason": "must be at least 0"}]})
    with pytest.raises(InvalidInputAccepted, match="expected errors naming limit; got errors naming \\['offset'\\]"):
        invalid_input_rejected(ctx, invalid, Response("u", 400, {}, naming))
    deep = Case("invalid", (("generalField[value]", "x"),), invalid="generalField")
    by_key = orjson.dumps({"errors": [{"name": "generalField[field]"}]})
    assert invalid_input_rejected(ctx, deep, Response("u", 400, {}, by_key)) is None
    assert invalid_input_rejected(ctx, invalid, Response("u", 400, {}, b"not json")) is None, "no errors to read"
