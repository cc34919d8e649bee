"""The proxy's judge: the checks that send nothing judge live traffic, identical answers get their verdict again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
import requests

from contract_tests.judging.context import Context
from contract_tests.judging.registry import CHECKS, Check
from contract_tests.judging.selection import select_checks
from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.client import ClientRequest
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, WatchOnly, passive_checks
from contract_tests.sending.transport import Response
from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.errors import FollowUpRefused
from selftest.faults import FAULTS, Fault
from tests.contract_tests.conftest import run_kit, serving
from tests.contract_tests.judging.checks.test_paging import linking_to
from tests.contract_tests.proxy.conftest import KEY, proxied, through

EXAMPLES_PER_FAULT = 150  # as test_faults gives the kit: some faults show only on rare requests (ne on a gap)
# A wrong key the upstream accepts looks, to a proxy, exactly like a right one: only the upstream knows its keys.
UNSEEABLE = {"any key accepted"}

select_checks()  # registers the checks, so the parametrization below can read which send follow-ups


def _seeable(fault: Fault) -> bool:
    return fault.name not in UNSEEABLE and any(not CHECKS[name].follow_ups for name in fault.caught_by)


SEEABLE = [fault for fault in FAULTS if _seeable(fault)]


@pytest.mark.slow
@pytest.mark.parametrize("fault", SEEABLE, ids=[fault.name for fault in SEEABLE])
def test_each_fault_a_passive_check_sees_is_caught_on_live_traffic(
    fault: Fault, spec: Spec, dataset: Dataset, mock_app: Callable[..., Any]
) -> None:
    app = mock_app(**fault.config)
    app = fault.wrap(app) if fault.wrap is not None else app
    passive = sorted(name for name in fault.caught_by if not CHECKS[name].follow_ups)
    with proxied(app, spec) as (proxy_url, _, judge):
        # The kit's run for the fault, follow-up requests and all, is the traffic the proxy watches.
        run_kit(through(proxy_url, spec, dataset), max_examples=EXAMPLES_PER_FAULT, checks=sorted(fault.caught_by))
    found = {failure.check for failure in judge.outcome.failures}
    assert found & set(passive), f"{fault.name}: the proxy found {found}, not {passive}"


@pytest.mark.slow
def test_identical_answers_get_the_same_verdict_counted_each_time(spec: Spec, mock_app: Callable[..., Any]) -> None:
    fault = next(fault for fault in FAULTS if fault.name == "limit off by one")
    with proxied(fault.wrap(mock_app()), spec) as (proxy_url, _, judge):  # type: ignore[misc]
        answers = [requests.get(f"{proxy_url}{spec.path}?limit=4", headers=KEY, timeout=10) for _ in range(3)]
    assert judge.verdict_cache and len(judge._verdicts) == 1
    assert [answer.headers[VIOLATIONS_HEADER] for answer in answers] == ["2; page_size, link_header"] * 3
    assert judge.outcome.examples == 3 and judge.outcome.failed["page_size"] == 3
    assert judge.outcome.passed["response_schema"] == 3
    assert [failure.check for failure in judge.outcome.failures] == ["page_size", "link_header"], "kept once"


@pytest.mark.slow
def test_a_check_that_tries_to_send_a_request_loses_only_its_own_verdict(
    spec: Spec, mock_app: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A team's check not marked ``follow_ups`` asks the proxy's context to send: the other checks still judge."""

    def asks_again(ctx: Context, case: Any, response: Any) -> None:
        ctx.send(case)

    fault = next(fault for fault in FAULTS if fault.name == "number as a string")
    assert fault.wrap is not None
    checks = (*passive_checks(select_checks()), Check("asks_again", asks_again, frozenset({"valid"}), needs_page=False))
    with serving(fault.wrap(mock_app())) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, checks)
        with serving(ProxyApp(judge)) as proxy_url, caplog.at_level(logging.WARNING, "contract_tests.proxy"):
            answer = requests.get(f"{proxy_url}{spec.path}?limit=2", headers=KEY, timeout=10)
    assert answer.headers[VIOLATIONS_HEADER] == "1; response_schema"
    assert judge.outcome.failed["response_schema"] == 1 and judge.outcome.passed["content_type"] == 1
    assert "asks_again" not in judge.outcome.passed and "asks_again was skipped" in caplog.text


@pytest.mark.slow
def test_behind_a_gateway_links_are_judged_against_the_declared_origin(
    spec: Spec, mock_app: Callable[..., Any]
) -> None:
    public = "https://customers.example.com/api"
    with serving(linking_to(public)(mock_app())) as upstream_url:
        verdicts = {}
        for link_origin in (None, public):
            judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks()), link_origin=link_origin)
            with serving(ProxyApp(judge)) as proxy_url:
                answer = requests.get(f"{proxy_url}{spec.path}?limit=2&offset=4", headers=KEY, timeout=10)
            verdicts[link_origin] = answer.headers.get(VIOLATIONS_HEADER)
    assert verdicts[None] == "1; link_header"
    assert verdicts[public] == "0"


def test_only_checks_that_send_nothing_of_their_own_judge_traffic() -> None:
    checks = select_checks()
    passive = passive_checks(checks)
    assert passive and all(not check.follow_ups for check in passive)
    assert {check.name for check in checks} - {check.name for check in passive} == {
        check.name for check in checks if check.follow_ups
    }


def test_the_proxys_context_refuses_to_send(spec: Spec) -> None:
    watch = WatchOnly("http://upstream")
    with pytest.raises(FollowUpRefused, match="the proxy sends no follow-up requests"):
        watch.send("http://upstream/v2/customers", "key")


KEYED = ClientRequest("k3y-s3cret", secrets={"k3y-s3cret": "$API_KEY"})


def test_an_answer_is_judged_as_the_case_its_query_reads_as(spec: Spec) -> None:
    judge = ProxyJudge(spec, "http://upstream/", passive_checks(select_checks()))
    answer = Response("http://upstream/v2/customers?limit=abc", 200, {"Content-Type": "application/json"}, b"[]")
    (failure,) = [each for each in judge.judge(answer, "limit=abc", KEYED) if each.check != "headers_documented"]
    assert failure.check == "invalid_input_rejected" and failure.credentials == "key"
    assert judge.upstream == "http://upstream" and judge.outcome.examples == 1
    assert judge.judges("get", spec.path) and not judge.judges("POST", spec.path) and not judge.judges("GET", "/x")
    assert judge.judge(answer, "limit=abc", ClientRequest())[0].credentials == "none"
