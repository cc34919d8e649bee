"""One answer judged: passes counted only for checks that judged, violations tagged with check, case and answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ServerError
from contract_tests.judging.judge import judge_response
from contract_tests.judging.registry import CHECKS
from contract_tests.judging.selection import select_checks
from contract_tests.sending.transport import Response


def test_verdicts_are_counted_and_violations_tagged(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    select_checks()
    checks = [CHECKS[name] for name in ("not_server_error", "sort_order", "auth_enforced", "page_size")]
    case = Case("valid", (("limit", "1"),))
    page = ctx.send(case)
    judged = judge_response(ctx, case, page, checks)
    assert judged.passed == ["not_server_error", "page_size"], "sort_order judged nothing on one item"
    broken = Response(page.url, 503, {}, b"down")
    judged = judge_response(ctx, case, broken, checks)
    assert judged.passed == [] and [name for name, _ in judged.violations] == ["not_server_error"]
    ((_, violation),) = judged.violations
    assert isinstance(violation, ServerError)
    assert (violation.check, violation.case, violation.response) == ("not_server_error", case, broken)
