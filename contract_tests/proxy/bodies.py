"""An upstream answer's body: passed on chunk by chunk as it came, and decoded (gzip, deflate) on a copy for the
checks to read."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import urllib3

from contract_tests.proxy.log import LOG
from contract_tests.sending.transport import CHUNK_BYTES


def decompressed(raw: bytes, headers: Any) -> bytes:
    """The body as the checks read it: gzip and deflate undone on a copy (what is sent on stays as it came)."""
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompress(raw)
    if encoding not in ("", "identity"):
        raise ValueError(f"cannot read a body encoded as {encoding!r}")
    return raw


def streamed(answer: Any) -> Iterator[bytes]:
    """An unjudged body passed on chunk by chunk, never held whole."""
    try:
        yield from answer.stream(CHUNK_BYTES, decode_content=False)
    except urllib3.exceptions.HTTPError as exc:
        LOG.warning("the upstream's answer broke off: %s", exc)
    finally:
        answer.release_conn()


def resumed(start: bytes, rest: Iterator[bytes], answer: Any) -> Iterator[bytes]:
    try:
        yield start
        yield from rest
    except urllib3.exceptions.HTTPError as exc:
        LOG.warning("the upstream's answer broke off: %s", exc)
    finally:
        answer.release_conn()
