"""The test certificates: a CA that signs a server and a client, and a TLS server that asks for the client's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from selftest.certificates import issue_certificates, serving_tls


def hello(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_a_client_with_the_ca_and_its_certificate_is_served(tmp_path: Path) -> None:
    certificates = issue_certificates(tmp_path)
    with serving_tls(hello, certificates) as url:
        cert = (str(certificates.client_cert), str(certificates.client_key))
        answer = requests.get(url, verify=str(certificates.ca), cert=cert, timeout=10)
    assert answer.text == "hello"


def test_a_client_without_the_ca_or_without_a_certificate_is_refused(tmp_path: Path) -> None:
    certificates = issue_certificates(tmp_path)
    with serving_tls(hello, certificates) as url:
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url, timeout=10)  # the server's certificate is of an unknown CA
        with pytest.raises(requests.exceptions.RequestException):
            requests.get(url, verify=str(certificates.ca), timeout=10)  # no client certificate
