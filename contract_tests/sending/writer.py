"""The requests that change data, for the write checks only (``contract-tests writes --allow-writes``): any
method, a JSON body, each on a fresh connection so that, behind several worker processes, a write and its read
back are answered by whichever process the server picks, as a frontend's are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
import requests

from contract_tests.sending.transport import Response
from customers_spec.errors import Unreachable


class Writer:
    """Sends ``method path`` with the API key (and a gateway's headers) to ``base_url``."""

    def __init__(self, base_url: str, headers: Mapping[str, str], timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.timeout = timeout

    def send(self, method: str, path: str, body: Any = None, media_type: str = "application/json") -> Response:
        """The answer to one request (``body`` None: none sent); raises ``Unreachable`` when there is none."""
        url = self.base_url + path
        headers = {**self.headers, "Connection": "close"}
        data = None
        if body is not None:
            data = orjson.dumps(body)
            headers["Content-Type"] = media_type
        try:
            answer = requests.request(method.upper(), url, data=data, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise Unreachable(f"{method.upper()} {url}: no answer ({type(exc).__name__})") from exc
        return Response(url=url, status=answer.status_code, headers=dict(answer.headers), body=answer.content)
