"""The ``Link`` header as the spec's description of it says, written apart from the mock's.

Each link keeps every query parameter of the request, in order, and sets ``offset`` and ``limit`` (in place
where the request wrote them, after the others where it did not); ``first`` is offset 0, ``prev`` offset minus
limit (at least 0) when offset > 0, ``next`` offset plus limit when more customers follow, ``last`` the last page
of the chain from offset 0.
"""

from __future__ import annotations

from customers_spec.model import Pagination
from customers_spec.wire import Pairs, encode_query


def neighbours(offset: int, limit: int, total: int) -> dict[str, int]:
    """The offset of each neighbouring page there is."""
    pages = {"first": 0}
    if offset > 0:
        pages["prev"] = max(offset - limit, 0)
    if offset + limit < total:
        pages["next"] = offset + limit
    pages["last"] = max(0, (total - 1) // limit * limit)
    return pages


def paged(pairs: Pairs, names: Pagination, offset: int, limit: int) -> Pairs:
    """``pairs`` with the paging parameters set: a written one keeps its first place, repeats are dropped."""
    wanted = {names.offset: str(offset), names.limit: str(limit)}
    written: set[str] = set()
    kept: list[tuple[str, str]] = []
    for name, value in pairs:
        if name not in wanted:
            kept.append((name, value))
        elif name not in written:
            kept.append((name, wanted[name]))
            written.add(name)
    kept += [(name, value) for name, value in wanted.items() if name not in written]
    return tuple(kept)


def link_header(base_url: str, pairs: Pairs, names: Pagination, offset: int, limit: int, total: int) -> str:
    """``<url>; rel="first", ...`` in the order of the spec's ``relations``."""
    pages = neighbours(offset, limit, total)
    return ", ".join(
        f'<{base_url}?{encode_query(paged(pairs, names, pages[rel], limit))}>; rel="{rel}"'
        for rel in names.relations
        if rel in pages
    )
