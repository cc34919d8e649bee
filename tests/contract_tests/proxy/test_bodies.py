"""Bodies: decoded on a copy for the checks; one in an encoding they cannot read passes on unjudged."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import urllib3

from contract_tests.proxy.answers import VIOLATIONS_HEADER
from contract_tests.proxy.bodies import decompressed, resumed, streamed
from customers_spec import Spec
from tests.contract_tests.proxy.conftest import KEY, proxied


def _encoded_as(encoding: str, inner: Callable[..., Any]) -> Callable[..., Any]:
    """The upstream, claiming a Content-Encoding the checks cannot read (its body stays plain JSON)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            return start_response(status, [*headers, ("Content-Encoding", encoding)], *rest)

        return inner(environ, start)

    return app


@pytest.mark.slow
def test_an_answer_in_an_encoding_the_checks_cannot_read_passes_unjudged(
    spec: Spec, mock_app: Callable[..., Any]
) -> None:
    with proxied(_encoded_as("br", mock_app()), spec) as (proxy_url, _, judge):  # type: ignore[misc]
        answer = requests.get(
            f"{proxy_url}{spec.path}?limit=2", headers={**KEY, "Accept-Encoding": "identity"}, timeout=10
        )
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "br"
    assert VIOLATIONS_HEADER not in answer.headers, "not judged, so no verdict (and no false alarm)"
    assert not judge.outcome.failures and judge.outcome.examples == 0


def test_gzip_and_deflate_are_undone_for_the_checks_and_others_refused() -> None:
    body = b'[{"number": 1}]'
    assert decompressed(gzip.compress(body), {"Content-Encoding": "gzip"}) == body
    assert decompressed(gzip.compress(body), {"Content-Encoding": " X-GZIP "}) == body
    assert decompressed(zlib.compress(body), {"Content-Encoding": "deflate"}) == body
    assert decompressed(body, {}) == body and decompressed(body, {"Content-Encoding": "identity"}) == body
    with pytest.raises(ValueError, match="cannot read a body encoded as 'br'"):
        decompressed(body, {"Content-Encoding": "br"})


class Upstream:
    """An upstream answer as urllib3 streams it, which may break off and must be released either way."""

    def __init__(self, chunks: list[bytes], broken: bool = False) -> None:
        self.chunks, self.broken, self.released = chunks, broken, False

    def stream(self, size: int, decode_content: bool) -> Iterator[bytes]:
        yield from self.chunks
        if self.broken:
            raise urllib3.exceptions.ProtocolError("connection reset")

    def release_conn(self) -> None:
        self.released = True


def test_a_streamed_body_goes_on_as_it_came_and_its_connection_is_released() -> None:
    whole = Upstream([b"ab", b"cd"])
    assert list(streamed(whole)) == [b"ab", b"cd"] and whole.released
    broken = Upstream([b"ab"], broken=True)
    assert list(streamed(broken)) == [b"ab"] and broken.released
    rest = Upstream([b"cd"])
    assert list(resumed(b"ab", iter(rest.stream(1, False)), rest)) == [b"ab", b"cd"] and rest.released
