"""Paging: pages of one query tile its result, X-Total-Count is what paging yields, links lead to neighbours."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import LinkDowngrade, LinkViolation, PagingViolation, TotalCountViolation, id_texts
from contract_tests.judging.oracle import link_offsets
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response, origin
from customers_spec.wire import bounds, decode_query

LINK = re.compile(r'<([^>]*)>\s*;\s*rel="([^"]*)"')


def links(response: Response, header: str) -> dict[str, str]:
    """The Link header's targets by relation (``next`` -> URL); empty when there is none."""
    return {rel: url for url, rel in LINK.findall(response.header(header) or "")}


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def pages_tile(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Two adjacent pages equal one larger page from the same offset: nothing skipped, nothing twice."""
    limit, offset = ctx.limit(case), ctx.offset(case)
    first_size = (limit + 1) // 2
    second_size = max(1, limit - first_size)
    if offset + limit + 1 > _max_offset(ctx):
        return NOT_JUDGED
    first, _ = ctx.page(case, PagingViolation, offset=offset, limit=first_size)
    second, _ = ctx.page(case, PagingViolation, offset=offset + first_size, limit=second_size)
    if first_size + second_size == limit:
        whole = ctx.items(response) or []
    else:
        whole, _ = ctx.page(case, PagingViolation, offset=offset, limit=first_size + second_size)
    pages = f"offset={offset}&limit={first_size} then offset={offset + first_size}&limit={second_size}"
    id_field = ctx.spec.collection.id_field
    joined = [item.get(id_field) for item in first + second]
    seen: set[object] = set()
    for item_id in joined:
        if item_id in seen:
            raise PagingViolation(f"no item twice in pages {pages}", f"item {item_id} twice", about=id_texts([item_id]))
        seen.add(item_id)
    expected = [item.get(id_field) for item in whole]
    if joined != expected:
        index = next((i for i, pair in enumerate(zip(joined, expected, strict=False)) if pair[0] != pair[1]), None)
        index = min(len(joined), len(expected)) if index is None else index
        raise PagingViolation(
            f"pages {pages} together equal to offset={offset}&limit={first_size + second_size}",
            f"{_at(joined, index)} where the larger page has {_at(expected, index)}",
            f"$[{index}]",
            about=id_texts([*joined[index : index + 1], *expected[index : index + 1]]),
        )
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def total_count_consistent(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """X-Total-Count items exist: the item at offset total-1 exists, none at offset total, same count on each page."""
    total = ctx.total(response)
    if total is None or total + 1 > _max_offset(ctx):
        return NOT_JUDGED
    header = ctx.spec.pagination.total_header
    past, answer = ctx.page(case, TotalCountViolation, offset=total, limit=1)
    if past:
        raise TotalCountViolation(f"no item at offset {total} ({header} {total})", f"{len(past)} item(s)")
    if ctx.total(answer) != total:
        raise TotalCountViolation(f"{header} {total} on every page", f"{answer.header(header)!r} at offset {total}")
    if total > 0:
        last, _ = ctx.page(case, TotalCountViolation, offset=total - 1, limit=1)
        if len(last) != 1:
            raise TotalCountViolation(f"one item at offset {total - 1} ({header} {total})", "none")
    return None


@check(kinds=["valid"], needs_page=True)
def link_header(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The Link header has exactly the relations the page needs, each keeping the query with its offset and limit."""
    total = ctx.total(response)
    if total is None or response.header(ctx.spec.pagination.link_header) is None:
        return NOT_JUDGED  # headers_documented reports a missing header
    names = ctx.spec.pagination
    limit, offset = ctx.limit(case), ctx.offset(case)
    expected = link_offsets(offset, limit, total)
    found = links(response, names.link_header)
    if sorted(found) != sorted(expected):
        raise LinkViolation(f"relations {sorted(expected)}", f"relations {sorted(found)}", names.link_header)
    kept = sorted((key, value) for key, value in case.query if key not in (names.limit, names.offset))
    request_path = urlsplit(response.url).path
    for rel, url in found.items():
        target = urlsplit(followed(ctx, response, url) or urljoin(response.url, url))
        pairs = decode_query(target.query)
        wanted = sorted([*kept, (names.offset, str(expected[rel])), (names.limit, str(limit))])
        if target.path != request_path or sorted(pairs) != wanted:
            shown = "&".join(f"{key}={value}" for key, value in wanted)
            raise LinkViolation(f'rel="{rel}" to {request_path}?{shown}', url, names.link_header)
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def link_targets(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Each Link target lies under the link origin (--link-origin, no https downgrade) and is a page of the query."""
    names = ctx.spec.pagination
    total = ctx.total(response)
    found = links(response, names.link_header)
    if not found:
        return NOT_JUDGED
    secure = "https" in (origin(ctx.transport.base_url)[0], origin(ctx.link_origin)[0])
    for rel, url in found.items():
        if secure and origin(urljoin(response.url, url))[0] == "http":
            raise LinkDowngrade(f'rel="{rel}" to an https URL', urljoin(response.url, url), names.link_header)
        target = followed(ctx, response, url)
        if target is None:
            raise LinkViolation(f'rel="{rel}" under {ctx.link_origin}', urljoin(response.url, url), names.link_header)
        answer = ctx.send_url(target, case.credentials)
        if ctx.items(answer) is None:
            raise LinkViolation(f'a page from rel="{rel}" ({target})', f"status {answer.status}", names.link_header)
        if ctx.total(answer) != total:
            raise LinkViolation(
                f'{names.total_header} {total} from rel="{rel}"', repr(answer.header(names.total_header))
            )
    return None


def followed(ctx: Context, response: Response, url: str) -> str | None:
    """Where the kit asks for a Link target: a relative one against the request URL; an absolute one under the
    link origin by its path and query against the base URL (a gateway's public name is not the name CI calls).

    None when the target is not under the link origin. An https origin also takes its http downgrade, which
    ``link_targets`` reports as a ``LinkDowngrade`` of its own.
    """
    if not urlsplit(url).scheme:
        return urljoin(response.url, url)
    target, declared = urlsplit(url), urlsplit(ctx.link_origin)
    schemes = {declared.scheme.lower()} | ({"http"} if declared.scheme.lower() == "https" else set())
    prefix = declared.path.rstrip("/")
    under = target.path == prefix or target.path.startswith(prefix + "/")
    authority = _authority(target)
    if target.scheme.lower() not in schemes or authority is None or authority != _authority(declared) or not under:
        return None
    rest = target.path[len(prefix) :]
    return ctx.transport.base_url + rest + (f"?{target.query}" if target.query else "")


def _authority(parts: SplitResult) -> tuple[str, int | None] | None:
    """Host and port, a scheme's default port (80, 443) counted as none, so a downgrade compares alike; None when
    the port is not a port (a hostile Link header)."""
    try:
        port = parts.port
    except ValueError:
        return None
    return (parts.hostname or "").lower(), None if port in (80, 443) else port


def _max_offset(ctx: Context) -> int:
    return bounds(ctx.spec.parameters[ctx.spec.pagination.offset]).maximum


def _at(ids: list[object], index: int) -> str:
    return f"item {ids[index]}" if index < len(ids) else "nothing"
