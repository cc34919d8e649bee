"""A frontend on another origin fetching through the proxy (headless Chromium) sees what the upstream says.

The page is served from its own origin and fetches the same query from the proxy and from the upstream
directly, with the API key header (so the browser sends a CORS preflight first). Status, body and the headers
a frontend reads (X-Total-Count, Link; CORS lets it read them at all) must be the same both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from contract_tests.judging.selection import select_checks
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from customers_spec import Spec
from selftest.servers import free_port
from tests.contract_tests.browser import chromium
from tests.contract_tests.conftest import API_KEY, serving

pytestmark = pytest.mark.slow

QUERY = "?limit=5&offset=5&sort=name:-1"
PAGE = """<!DOCTYPE html><html><body><script>
async function read(base) {
  const answer = await fetch(base + "/v2/customers" + QUERY, {headers: {"x-API-Key": KEY}});
  return {
    status: answer.status,
    body: await answer.text(),
    total: answer.headers.get("X-Total-Count"),
    link: answer.headers.get("Link"),
    violations: answer.headers.get("X-Contract-Violations"),
  };
}
Promise.all([read(PROXY), read(UPSTREAM)]).then(
  (found) => { window.results = found; },
  (error) => { window.results = String(error); },
);
</script></body></html>"""


def _page(proxy_url: str, upstream_url: str) -> Callable[..., Any]:
    """The frontend's origin: one page (also the answer to the test server's readiness probe)."""
    script = PAGE.replace("QUERY", repr(QUERY)).replace("KEY", repr(API_KEY))
    html = script.replace("PROXY", repr(proxy_url)).replace("UPSTREAM", repr(upstream_url)).encode()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(html)))])
        return [html]

    return app


def test_a_page_on_another_origin_sees_the_same_through_the_proxy(
    spec: Spec, mock_app: Callable[..., Any], tmp_path: Path
) -> None:
    with serving(mock_app()) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks()))
        with (
            serving(ProxyApp(judge)) as proxy_url,
            serving(_page(proxy_url, upstream_url)) as page_url,
            chromium(tmp_path / "profile") as browser,
        ):
            browser.get(page_url + "/")
            results = WebDriverWait(browser, 30).until(lambda driver: driver.execute_script("return window.results"))
    assert isinstance(results, list), results
    via_proxy, direct = results
    assert direct["status"] == 200 and direct["total"] and direct["link"], "CORS lets the page read the headers"
    for key in ("status", "body", "total", "link"):
        assert via_proxy[key] == direct[key], key
    assert via_proxy["violations"] == "0" and direct["violations"] is None
    assert judge.outcome.examples == 1 and judge.passed_through >= 1, "the preflight passed through unjudged"


def _page_of_proxy_alone(proxy_url: str) -> Callable[..., Any]:
    """A page that fetches through the proxy alone (with the key header, so a preflight goes first)."""
    script = PAGE.replace("Promise.all([read(PROXY), read(UPSTREAM)])", "read(PROXY)")
    html = script.replace("QUERY", repr(QUERY)).replace("KEY", repr(API_KEY)).replace("PROXY", repr(proxy_url))

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(html.encode())))])
        return [html.encode()]

    return app


def test_a_page_reads_the_proxys_own_problem_when_the_upstream_is_down(spec: Spec, tmp_path: Path) -> None:
    """The preflight is allowed and the 502 carries CORS: the page sees the problem, not "Failed to fetch"."""
    judge = ProxyJudge(spec, f"http://127.0.0.1:{free_port()}", passive_checks(select_checks()))
    with (
        serving(ProxyApp(judge, timeout=2.0)) as proxy_url,
        serving(_page_of_proxy_alone(proxy_url)) as page_url,
        chromium(tmp_path / "profile") as browser,
    ):
        browser.get(page_url + "/")
        result = WebDriverWait(browser, 30).until(lambda driver: driver.execute_script("return window.results"))
    assert isinstance(result, dict), result
    assert result["status"] == 502 and '"title":"Upstream unreachable"' in result["body"]
