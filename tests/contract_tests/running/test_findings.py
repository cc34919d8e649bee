"""Findings: one failure per check and kind of violation, the simplest request that shows it kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation, LinkDowngrade, LinkViolation
from contract_tests.running.findings import record_final, record_found, same_finding, simplicity
from contract_tests.running.records import Failure, Outcome


def _found(kind: type[ContractViolation], query: tuple[tuple[str, str], ...]) -> ContractViolation:
    violation = kind("a", "b")
    violation.check, violation.case = "link_header", Case("valid", query)
    return violation


def test_the_simplest_request_of_a_finding_is_kept(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx, outcome = in_process(mock_app()), Outcome()
    long = _found(LinkViolation, (("limit", "5"), ("name", "er")))
    short = _found(LinkViolation, (("limit", "50"),))
    other = _found(LinkDowngrade, (("limit", "5"), ("name", "er"), ("offset", "1")))
    record_final(outcome, ctx, [long, other, short])
    assert [failure.violation for failure in outcome.failures] == [short, other]
    assert outcome.failures[0].url == "http://localhost/v2/customers?limit=50"
    record_final(outcome, ctx, [_found(LinkViolation, (("limit", "5"), ("offset", "2")))])
    assert outcome.failures[0].violation is short, "more parameters never replace fewer"


def test_a_finding_is_a_check_and_a_kind_of_violation() -> None:
    def failure(kind: type[ContractViolation], check: str, url: str) -> Failure:
        return Failure(check, _found(kind, (("limit", "1"),)), url, "key")

    assert same_finding(failure(LinkViolation, "a", "u"), failure(LinkViolation, "a", "v"))
    assert not same_finding(failure(LinkViolation, "a", "u"), failure(LinkDowngrade, "a", "u"))
    assert not same_finding(failure(LinkViolation, "a", "u"), failure(LinkViolation, "b", "u"))
    assert simplicity(failure(LinkViolation, "a", "http://h/x")) == (1, 10)


def test_a_smoke_requests_violations_are_kept_as_found(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx, outcome = in_process(mock_app()), Outcome()
    record_found(outcome, ctx, Case("no_key"), [("auth_enforced", LinkViolation("a", "b"))])
    assert [(each.check, each.url, each.credentials) for each in outcome.failures] == [
        ("auth_enforced", "http://localhost/v2/customers", "none")
    ]
