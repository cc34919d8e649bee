"""An item by id: the record the list returns, byte for byte; an unknown id is a 404 problem.

A frontend's detail page reads the customer by id after its list page showed it: both must show the same
record. The item is compared with the list's item as a JSON value written canonically (keys sorted), so a
number written as 1.0 instead of 1, a field missing or added, an older copy are all found. The list's item is
asked again by id when the list has a filter on the id (``ids``); otherwise it is the item read at the start,
and a disagreement is confirmed like any comparison with data read earlier (``judging.confirmation``).
"""

from __future__ import annotations

from typing import Any

import orjson

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.shape import excerpt
from contract_tests.judging.checks.variants import identity_rule, restricted
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ItemViolation, NotFoundViolation
from contract_tests.judging.operations import OperationContext, subject_of
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response

PROBLEM = "application/problem+json"


@check(kinds=["valid"], follow_ups=True, on=["item"])
def item_is_listed(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The item by id is the list's item with that id: the same JSON value (keys in any order)."""
    subject = subject_of(ctx)
    if subject is None or subject.item is None or not isinstance(ctx, OperationContext) or ctx.lister is None:
        return NOT_JUDGED
    if response.status != 200 or not ctx.body_valid(response):
        return NOT_JUDGED  # valid_input_accepted and response_schema say what is wrong
    id_value = case.value(subject.item.id_parameter)
    listed, where = _listed(ctx, ctx.lister, subject.item.collection.id_field, str(id_value))
    if listed is None:
        if where is None:
            return NOT_JUDGED  # not among the items read at the start
        raise ItemViolation(f"the list to return the item {id_value} asked by id", "no such item", requests=(where,))
    difference = first_difference(listed, response.json)
    if difference is not None:
        path, expected, got = difference
        requests = (where,) if where else ()
        raise ItemViolation(f"{expected} as the list has it", got, path, requests=requests)
    return None


def _listed(ctx: Context, lister: Context, id_field: str, id_value: str) -> tuple[Any, str | None]:
    """The list's item with this id and the URL that asked it (None: read from the data read at the start)."""
    rule = identity_rule(lister.spec)
    if rule is None:
        records = ctx.everything or ctx.sample.records
        return next((item for item in records if item.get(id_field) == id_value), None), None
    url = lister.url(restricted(lister, Case("valid"), [id_value], rule, ()).query)
    answer = ctx.send_url(url, "key")  # through the context: confirmation asks it again with the item
    items = lister.items(answer)
    if items is None:
        raise ItemViolation(f"200 with a valid page for {url}", f"status {answer.status}", requests=(url,))
    return next((item for item in items if item.get(id_field) == id_value), None), url


def first_difference(expected: Any, got: Any, path: str = "$") -> tuple[str, str, str] | None:
    """Where two JSON values first differ (path, expected, got), or None when they are the same value."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got)):
            if key not in got:
                return f"{path}.{key}", f"{key} = {_shown(expected[key])}", "no such field"
            if key not in expected:
                return f"{path}.{key}", f"no field {key}", _shown(got[key])
            found = first_difference(expected[key], got[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for index, (left, right) in enumerate(zip(expected, got, strict=True)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if _canonical(expected) != _canonical(got):
        return path, _shown(expected), _shown(got)
    return None


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _shown(value: Any) -> str:
    text = _canonical(value).decode()
    return text if len(text) <= 120 else text[:120] + "…"


@check(kinds=["unknown"], on=["item"])
def unknown_id_not_found(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """An id no record has, valid in form, is answered with the documented 404 problem (not 200, not 400)."""
    subject = subject_of(ctx)
    if subject is None or subject.item is None or response.status >= 500:
        return NOT_JUDGED  # not_server_error's finding
    wanted = subject.item.not_found_status
    if response.status != wanted:
        raise NotFoundViolation(f"{wanted} for the unknown id", f"{response.status} {excerpt(response)}")
    if response.media_type != PROBLEM:
        raise NotFoundViolation(f"a {PROBLEM} body", repr(response.header("Content-Type")))
    return None
