"""Claims the descriptions make that no schema keyword can say, read from the spec's ``x-`` extensions.

``x-unique-within`` on a property: no two customers of one scope share its value (``number`` within a
``companyId``). ``x-not-before`` on a date-time property: it is never before a sibling (``lastModifiedAt`` and
``createdAt``). ``x-also-at`` on the operation: the same operation answers at another spelling of its path
(``/v2/customers/``), identically. Each is judged on one answer, or on one repeat of the request that carries
no parameter at all, so they cost next to nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.meaning import differing, shown
from contract_tests.judging.context import Context
from contract_tests.judging.failures import NotDeterministic, SchemaViolation
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.loader import resolve
from customers_spec.values import get_path, parse_datetime


def marked(ctx: Context, extension: str) -> list[tuple[str, Any]]:
    """``(path, value)`` for every property of a returned item that carries ``extension`` (memoized per run)."""
    key = ("marked", extension)
    found = ctx.sample.memo.get(key)
    if found is None:
        schema = ctx.spec.operation["responses"]["200"]["content"]["application/json"]["schema"]
        found = list(_marked(ctx.spec.document, resolve(ctx.spec.document, schema.get("items", {})), extension, ""))
        ctx.sample.memo[key] = found
    return found


def _marked(document: dict[str, Any], schema: dict[str, Any], extension: str, prefix: str) -> Iterator[tuple[str, Any]]:
    for name, declared in schema.get("properties", {}).items():
        resolved = resolve(document, declared)
        path = f"{prefix}{name}"
        if extension in resolved:
            yield path, resolved[extension]
        yield from _marked(document, resolved, extension, f"{path}.")


@check(kinds=["valid"], needs_page=True)
def unique_within(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """No two items of a page share a value the spec says is unique (``x-unique-within``: ``number`` per company)."""
    items = ctx.items(response) or []
    rules = marked(ctx, "x-unique-within")
    if len(items) < 2 or not rules:
        return NOT_JUDGED
    for path, scope in rules:
        seen: dict[tuple[Any, Any], int] = {}
        for index, item in enumerate(items):
            key = (get_path(item, scope), get_path(item, path))
            if key[1] is not None and key in seen:
                raise SchemaViolation(
                    f"{path} unique within {scope}",
                    f"{shown(items[seen[key]], [scope, path], ctx.spec.collection.id_field)}"
                    f" and {shown(item, [], ctx.spec.collection.id_field)}",
                    f"$[{index}].{path}",
                )
            seen[key] = index
    return None


@check(kinds=["valid"], needs_page=True)
def not_before(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A date-time the spec says is never before another (``x-not-before``: ``lastModifiedAt``) is not."""
    items = ctx.items(response) or []
    rules = marked(ctx, "x-not-before")
    if not items or not rules:
        return NOT_JUDGED
    for path, sibling in rules:
        other = ".".join([*path.split(".")[:-1], sibling])
        for index, item in enumerate(items):
            later, earlier = get_path(item, path), get_path(item, other)
            if isinstance(later, str) and isinstance(earlier, str) and _instant(later) < _instant(earlier):
                raise SchemaViolation(
                    f"{path} not before {other}",
                    shown(item, [other, path], ctx.spec.collection.id_field),
                    f"$[{index}].{path}",
                )
    return None


def _instant(text: str) -> Any:
    try:
        return parse_datetime(text)
    except ValueError:
        return parse_datetime("9999-12-31")  # not a date-time: response_schema says so; never "before" here


@check(kinds=["valid"], needs_page=True, follow_ups=True)
def path_spellings(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The operation answers identically at every other spelling of its path the spec names (``x-also-at``:
    ``/v2/customers/``); judged on the request without parameters, once or so per run."""
    spellings = ctx.spec.operation.get("x-also-at", [])
    if case.query or not spellings:
        return NOT_JUDGED
    for spelling in spellings:
        url = f"{ctx.transport.base_url}{spelling}"
        again = ctx.send_url(url, case.credentials)  # recorded: confirmation asks it again with the request
        if again.status != response.status or ctx.items(again) != ctx.items(response):
            raise NotDeterministic(
                f"the answer of {ctx.spec.path} at {spelling} too",
                f"status {again.status}",
                requests=(url,),
                about=differing(ctx.items(response) or [], ctx.items(again) or [], ctx.spec.collection.id_field),
            )
    return None
