"""Links behind a gateway: followed by path and query under the declared origin; an https downgrade is named."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from contract_tests.judging.checks.paging import followed
from contract_tests.judging.context import Context
from contract_tests.judging.failures import LinkDowngrade, LinkViolation
from contract_tests.reporting.text import text_report
from contract_tests.sending.transport import Response
from selftest.faults import Answer, on_answer
from tests.contract_tests.conftest import run_kit

PUBLIC = "https://api.example.com/customers-api"
LINK_CHECKS = ["link_header", "link_targets"]


def linking_to(origin: str) -> Callable[[Any], Any]:
    """The mock behind a gateway that writes ``origin`` into the Link header instead of the address it was called at."""

    def rewrite(answer: Answer) -> Answer:
        link, called = answer.header("Link"), f"{answer.environ['wsgi.url_scheme']}://{answer.environ['HTTP_HOST']}"
        return answer.set_header("Link", link.replace(called, origin) if link else None)

    return on_answer(rewrite)


def test_links_under_the_declared_origin_are_followed_against_the_base_url(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(linking_to(PUBLIC)(mock_app()))
    ctx.link_origin = PUBLIC
    outcome = run_kit(ctx, max_examples=20, checks=LINK_CHECKS)
    assert outcome.exit_code == 0, text_report(outcome, "x-API-Key")
    assert outcome.passed["link_targets"] > 0 and outcome.passed["link_header"] > 0


def test_links_to_an_undeclared_origin_fail(mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> None:
    app = linking_to("https://api.example.com")(mock_app())
    outcome = run_kit(in_process(app), max_examples=10, checks=LINK_CHECKS)
    assert [(failure.check, type(failure.violation)) for failure in outcome.failures] == [
        ("link_targets", LinkViolation)
    ]
    assert outcome.failures[0].violation.expected.endswith("under http://localhost")


def test_an_http_link_from_an_https_api_is_a_downgrade(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(linking_to(PUBLIC.replace("https:", "http:"))(mock_app()))
    ctx.link_origin = PUBLIC
    outcome = run_kit(ctx, max_examples=10, checks=LINK_CHECKS)
    assert [(failure.check, type(failure.violation)) for failure in outcome.failures] == [
        ("link_targets", LinkDowngrade)
    ]
    assert "link_targets: Link header downgrades https to http" in text_report(outcome, "x-API-Key")
    assert outcome.passed["link_header"] > 0  # the path and query are right: only the scheme is wrong


@pytest.mark.parametrize(
    ("link", "asked"),
    [
        (f"{PUBLIC}/v2/customers?offset=10&limit=5", "http://internal:8080/v2/customers?offset=10&limit=5"),
        ("https://API.example.com:443/customers-api/v2/customers", "http://internal:8080/v2/customers"),
        ("http://api.example.com/customers-api/v2/customers", "http://internal:8080/v2/customers"),  # a downgrade
        ("/v2/customers?offset=5", "http://internal:8080/v2/customers?offset=5"),  # relative: against the request
        ("https://api.example.com/other/v2/customers", None),
        ("https://api.example.com/customers-apix/v2/customers", None),
        ("https://evil.example/customers-api/v2/customers", None),
        ("https://api.example.com:8443/customers-api/v2/customers", None),
        ("https://api.example.com:99999/customers-api/v2/customers", None),  # not a port
    ],
)
def test_links_are_asked_by_path_and_query_against_the_base_url(link: str, asked: str | None) -> None:
    ctx = SimpleNamespace(link_origin=PUBLIC, transport=SimpleNamespace(base_url="http://internal:8080"))
    response = Response("http://internal:8080/v2/customers?offset=0", 200, {}, b"[]")
    assert followed(ctx, response, link) == asked  # type: ignore[arg-type]
