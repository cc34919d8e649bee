"""A sub-collection (``GET /v2/customers/{customerId}/objects``): its parent's part of the collection.

Every item names the parent; and the page is the page the collection's own list gives for the same query
filtered by the parent (``GET /v2/objects?customer=…``), item for item, with the same total. When the
collection's list has no filter on the parent field, the sub-collection's items are compared with the list's
items of that parent read at the start (all of them, when the data is small enough to read whole).
"""

from __future__ import annotations

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.items import first_difference
from contract_tests.judging.checks.shape import excerpt
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ParentViolation
from contract_tests.judging.operations import Subject, subject_of
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.values import get_path


def _bound(ctx: Context, case: Case) -> tuple[Subject, str] | None:
    """The sub-collection judged and the parent id this request asked for."""
    subject = subject_of(ctx)
    if subject is None or subject.parent_parameter is None or subject.parent_field is None:
        return None
    asked = case.value(subject.parent_parameter) or subject.parent_id
    return (subject, asked) if asked is not None else None


@check(kinds=["valid"], needs_page=True, on=["sub"])
def items_belong_to_parent(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Every item of a sub-collection names the parent of the path (its parent field is the path's id)."""
    bound = _bound(ctx, case)
    if bound is None:
        return NOT_JUDGED
    subject, parent = bound
    field = str(subject.parent_field)
    for index, item in enumerate(ctx.items(response) or ()):
        if get_path(item, field) != parent:
            raise ParentViolation(f"{field} = {parent} (the path's parent)", repr(get_path(item, field)), f"$[{index}]")
    return None


@check(kinds=["valid"], needs_page=True, follow_ups=True, on=["sub"])
def subcollection_is_filtered_list(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A sub-collection's page is the collection's list filtered by the parent: the same items in the same
    order, and the same total, for the same query."""
    bound = _bound(ctx, case)
    if bound is None or bound[0].flat is None:
        return NOT_JUDGED
    subject, parent = bound
    flat = subject.flat
    assert flat is not None
    if subject.flat_filter is None:
        return _against_read_items(ctx, subject, parent, case, response)
    query = tuple((key, value) for key, value in case.query if key != subject.parent_parameter)
    if any(key not in flat.spec.parameters for key, _ in query):
        return NOT_JUDGED  # the list does not take this query: nothing to compare with
    rule = subject.flat_filter
    written = flat.spec.wire.value_pairs(flat.spec.parameters[rule.parameter], [parent])
    url = flat.url((*query, *written))
    answer = ctx.send_url(url, case.credentials)  # through the context: confirmation asks it again
    listed = flat.items(answer)
    if listed is None:
        raise ParentViolation(f"200 with a valid page for {url}", f"{answer.status} {excerpt(answer)}", requests=(url,))
    difference = first_difference(listed, ctx.items(response))
    if difference is not None:
        path, expected, got = difference
        raise ParentViolation(f"{expected} as the filtered list has it", got, path, requests=(url,))
    totals = flat.total(answer), ctx.total(response)
    if totals[0] != totals[1]:
        raise ParentViolation(
            f"the filtered list's total {totals[0]}", f"{totals[1]}", flat.spec.pagination.total_header, requests=(url,)
        )
    return None


def _against_read_items(ctx: Context, subject: Subject, parent: str, case: Case, response: Response) -> Verdict | None:
    """Without a filter on the parent: the parent's items of the list's data read whole, by id."""
    flat = subject.flat
    everything = flat.everything if flat is not None else None
    if everything is None or case.query or flat is None:
        return NOT_JUDGED  # judged on the plain first page only, against all the data
    id_field = flat.spec.collection.id_field
    field = str(subject.parent_field)
    expected = {item.get(id_field) for item in everything if get_path(item, field) == parent}
    collected = ctx.collect(case, ParentViolation)
    if collected is None:
        return NOT_JUDGED
    got = {item.get(id_field) for item in collected}
    if got != expected:
        missing, extra = sorted(map(str, expected - got))[:5], sorted(map(str, got - expected))[:5]
        raise ParentViolation(f"the parent's {len(expected)} items of the list", f"missing {missing}, extra {extra}")
    return None


@check(kinds=["unknown"], on=["sub"])
def unknown_parent(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A sub-collection of a parent that does not exist is answered as the spec states: a 404 problem when
    the operation documents a 404, else an empty page."""
    subject = subject_of(ctx)
    if subject is None or subject.parent_parameter is None or response.status >= 500:
        return NOT_JUDGED
    wanted = subject.unknown_parent_status
    if response.status != wanted:
        raise ParentViolation(f"{wanted} for an unknown parent", f"{response.status} {excerpt(response)}")
    if wanted == 200 and ctx.items(response):
        raise ParentViolation("no items for an unknown parent", f"{len(ctx.items(response) or ())} items")
    return None
