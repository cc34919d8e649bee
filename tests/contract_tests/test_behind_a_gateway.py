"""Staging behind a gateway: the kit sends its headers (a bearer token, a tenant) with every request, follow-ups
and auth checks included, presents a client certificate and trusts a private CA, and prints no secret anywhere.

The gateway (``selftest.gatekeeper``) answers 403 to any request without the headers and echoes the tenant
back, so a secret would reach every report unless the kit redacts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from selftest.certificates import issue_certificates, serving_tls
from selftest.faults import FAULTS
from selftest.gatekeeper import ECHO_HEADER, gatekeeper
from tests.contract_tests.conftest import API_KEY, serving

pytestmark = pytest.mark.slow

TOKEN = "tok-9f8e7d6c5b4a3921"
TENANT = "tenant-5e3c1a77b2"
REQUIRED = {"X-Tenant": TENANT, "Authorization": f"Bearer {TOKEN}"}  # the tenant echoed
SECRETS = (TOKEN, TENANT, API_KEY)


def _faulty_behind_gateway(mock_app: Callable[..., Any], misses: list[str]) -> Any:
    fault = next(fault for fault in FAULTS if fault.name == "name filter ignored")
    return gatekeeper(fault.wrap(mock_app()), REQUIRED, misses)  # type: ignore[misc]


def _contract_tests(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from contract_tests.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, env=os.environ | env)


def _assert_no_secret(*texts: str) -> None:
    for secret in SECRETS:
        assert all(secret not in text for text in texts), "a secret was printed"


def test_the_cli_sends_the_gateways_headers_everywhere_and_prints_them_nowhere(
    mock_app: Callable[..., Any], tmp_path: Path
) -> None:
    misses: list[str] = []
    summary, junit = tmp_path / "summary.md", tmp_path / "junit.xml"
    common = (
        *("--api-key", API_KEY, "--checks", "filters_hold,auth_enforced,pages_tile", "--invalid-api-key-rejected"),
        *("--max-examples", "25", "--seed", "3", "-H", f"X-Tenant: {TENANT}"),
    )
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    with serving(_faulty_behind_gateway(mock_app, misses)) as base_url:
        html = _contract_tests(
            "--base-url", base_url, *common, "--bearer", TOKEN, "--report", str(tmp_path / "r.html"),
            "--junit-xml", str(junit), env=env,
        )  # fmt: skip
        from_variable = env | {"CONTRACT_TESTS_BEARER": TOKEN}  # the token from its variable this time
        as_json = _contract_tests(
            "--base-url", base_url, *common, "--report", str(tmp_path / "r.json"), env=from_variable
        )
    assert misses == [], "every request, follow-ups and auth checks included, carried the gateway's headers"
    for done in (html, as_json):
        assert done.returncode == 1, done.stdout + done.stderr
        assert "FAILED filters_hold" in done.stdout and "FAILED auth_enforced" not in done.stdout
        assert '-H "X-Tenant: $X_TENANT" -H "Authorization: Bearer $CONTRACT_TESTS_BEARER"' in done.stdout
    failure = orjson.loads((tmp_path / "r.json").read_bytes())["failures"][0]
    assert failure["exchange"]["response_headers"][ECHO_HEADER] == "$X_TENANT"  # the echo was there, redacted
    assert failure["exchange"]["request_headers"]["X-Tenant"] == "$X_TENANT"
    reports = [path.read_text() for path in (summary, junit, tmp_path / "r.html", tmp_path / "r.json")]
    _assert_no_secret(html.stdout, html.stderr, as_json.stdout, as_json.stderr, *reports)


def test_a_header_that_is_the_api_key_could_not_be_tested(tmp_path: Path) -> None:
    done = _contract_tests(
        "--base-url", "http://127.0.0.1:9", "--api-key", API_KEY, "-H", f"x-api-key: {TENANT}", env={}
    )
    assert done.returncode == 2 and "-H cannot set the API key header" in done.stderr
    _assert_no_secret(done.stdout, done.stderr)


def test_the_plugin_sends_and_hides_them_too(pytester: pytest.Pytester, mock_app: Callable[..., Any]) -> None:
    misses: list[str] = []
    with serving(_faulty_behind_gateway(mock_app, misses)) as base_url:
        result = pytester.runpytest(
            *("--contract-base-url", base_url, "--contract-api-key", API_KEY, "--contract-bearer", TOKEN),
            *("--contract-header", f"X-Tenant: {TENANT}", "--contract-checks", "filters_hold,auth_enforced"),
            *("--contract-max-examples", "20", "--contract-invalid-api-key-rejected", "-rA"),
            *("-p", "no:cacheprovider", "--junitxml", "junit.xml"),
        )
    result.assert_outcomes(passed=1, failed=1)
    assert misses == []
    result.stdout.fnmatch_lines(['*-H "X-Tenant: $X_TENANT" -H "Authorization: Bearer $CONTRACT_TESTS_BEARER"*'])
    _assert_no_secret(result.stdout.str(), result.stderr.str(), (pytester.path / "junit.xml").read_text())


def test_a_client_certificate_and_a_private_ca(mock_app: Callable[..., Any], tmp_path: Path) -> None:
    """The server asks for a client certificate of its CA; without --ca-bundle its own is not trusted either."""
    certificates = issue_certificates(tmp_path)
    common = ("--api-key", API_KEY, "--checks", "response_schema", "--max-examples", "5")
    client = ("--client-cert", str(certificates.client_cert), "--client-key", str(certificates.client_key))
    with serving_tls(mock_app(), certificates) as base_url:
        trusted = _contract_tests("--base-url", base_url, *common, *client, "--ca-bundle", str(certificates.ca), env={})
        untrusted = _contract_tests("--base-url", base_url, *common, *client, env={})
        no_certificate = _contract_tests("--base-url", base_url, *common, "--ca-bundle", str(certificates.ca), env={})
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert "conforms" in trusted.stdout
    assert untrusted.returncode == 2 and "TLS handshake" in untrusted.stderr and "--ca-bundle" in untrusted.stderr
    assert no_certificate.returncode == 2, no_certificate.stdout + no_certificate.stderr
    assert "Traceback" not in untrusted.stderr + no_certificate.stderr
