"""The ``Link`` header of a page (RFC 8288): first, prev, next and last, each keeping the request's query."""

from __future__ import annotations

from urllib.parse import quote

from flask import Request

from customers_spec.model import Pagination
from customers_spec.wire import Pairs


def request_origin(request: Request) -> str:
    """``scheme://host[:port]`` the request was sent to; the server's own address if its Host header is unusable."""
    host = (
        request.host or f"{request.environ.get('SERVER_NAME', 'localhost')}:{request.environ.get('SERVER_PORT', '80')}"
    )
    return f"{request.scheme}://{host}"


def page_offsets(offset: int, limit: int, total: int) -> dict[str, int]:
    """Offset of each neighbouring page, as the spec's ``Link`` header describes; prev/next only if they exist."""
    offsets = {"first": 0}
    if offset > 0:
        offsets["prev"] = max(offset - limit, 0)
    if offset + limit < total:
        offsets["next"] = offset + limit
    offsets["last"] = max(0, ((total - 1) // limit) * limit)
    return offsets


def with_page(pairs: Pairs, pagination: Pagination, offset: int, limit: int) -> str:
    """The query string of ``pairs`` with offset and limit set: in place where given, appended otherwise."""
    before, after = _around_offset(pairs, pagination, limit)
    return f"{before}{offset}{after}"


def _around_offset(pairs: Pairs, pagination: Pagination, limit: int) -> tuple[str, str]:
    """The query string of a page, encoded once, split where its offset value goes: only that differs per link."""
    wanted = {pagination.limit: str(limit), pagination.offset: None}
    parts: list[str | None] = []
    for name, value in pairs:
        if name in wanted:
            replacement = wanted.pop(name)
            if replacement is None:
                parts.append(None)
                continue
            value = replacement
        parts.append(_encoded(name, value))
    if pagination.limit in wanted:
        parts.append(_encoded(pagination.limit, str(limit)))
    if pagination.offset in wanted:
        parts.append(None)
    slot = parts.index(None)
    offset_key = quote(pagination.offset, safe=_SAFE)
    before = "&".join([*parts[:slot], f"{offset_key}="])  # type: ignore[list-item]
    after = "".join(f"&{part}" for part in parts[slot + 1 :])
    return before, after


_SAFE = ":,"


def _encoded(name: str, value: str) -> str:
    return f"{quote(name, safe=_SAFE)}={quote(value, safe=_SAFE)}"


def build_link_header(base_url: str, pairs: Pairs, pagination: Pagination, offset: int, limit: int, total: int) -> str:
    """``<url>; rel="first", …`` for a page at ``offset`` of ``limit`` among ``total`` matches."""
    offsets = page_offsets(offset, limit, total)
    before, after = _around_offset(pairs, pagination, limit)
    return ", ".join(
        f'<{base_url}?{before}{offsets[rel]}{after}>; rel="{rel}"' for rel in pagination.relations if rel in offsets
    )
