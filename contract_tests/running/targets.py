"""The context and requests of each operation a run checks beside a plain list: a sub-collection bound to a
parent, an item by id judged by its list's data, an operation the tools give no meaning to.

A sub-collection runs today's list machinery on one parent: its path parameter is bound (so every generated
request asks for that parent, and the parameter is no filter to generate) and its reference is that parent's
items. The parent chosen is, of a few sampled parents, the one with the most items, so paging and filters
have something to judge; the other sampled parents and an unknown parent are asked too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from contract_tests.generation.cases import Case, Kind
from contract_tests.generation.ids import known_ids, malformed_id, unknown_ids
from contract_tests.judging.context import Context
from contract_tests.judging.operations import OperationContext, Subject
from contract_tests.judging.registry import Role
from customers_spec.api import Api, ItemSpec, Operation
from customers_spec.model import FilterRule, Spec

PARENTS = 5  # parents sampled for a sub-collection, each asked once; the one with most items is explored
ITEM_IDS = 20  # known ids asked of an item operation, at most


@dataclass
class Target:
    """An operation made ready to check: its context, extra requests and what could not be judged."""

    ctx: Context | None
    cases: list[Case] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


def roles_of(api: Api, operation: Operation) -> frozenset[Role]:
    """What the operation is to the checks (a sub-collection is a list too)."""
    spec = api.list_of(operation)
    if spec is not None:
        return frozenset({"list", "sub"}) if spec.parent is not None else frozenset({"list"})
    return frozenset({"item"}) if api.item_of(operation) is not None else frozenset({"other"})


def sibling(first: Context, spec: Spec, **more: Any) -> dict[str, Any]:
    """The settings a context of another operation shares with the run's first one."""
    return {
        "rejects_invalid_keys": first.rejects_invalid_keys,
        "link_origin": first.link_origin,
        "shown_headers": first.shown_headers,
        **more,
    }


def flat_filter(flat: Spec, field_path: str) -> FilterRule | None:
    """The list's filter that selects the items whose ``field_path`` equals one value, if it has one."""
    for rule in flat.filters.values():
        clauses = rule.clauses
        if len(clauses) == 1 and clauses[0].path == field_path and clauses[0].operator == "eq" and not clauses[0].via:
            return rule
    return None


def bound(spec: Spec) -> Spec:
    """A sub-collection's list without its parent's path parameter: every request asks for one bound parent,
    so the parameter is no filter to draw (its value is filled into the path instead)."""
    name = spec.parent.parameter if spec.parent is not None else ""
    return replace(
        spec,
        filters={key: each for key, each in spec.filters.items() if key != name},
        parameters={key: each for key, each in spec.parameters.items() if key != name},
    )


def parent_field(spec: Spec) -> str | None:
    """The field of a sub-collection's items that names the parent (its path parameter's filter's path)."""
    rule = spec.filters.get(spec.parent.parameter) if spec.parent is not None else None
    return rule.clauses[0].path if rule is not None and rule.clauses else None


def subcollection(
    api: Api, spec: Spec, operation: Operation, lists: dict[int, Context], first: Context, seed: int | None
) -> Target:
    """A sub-collection bound to the sampled parent with the most items (``spec.parent``)."""
    parent = spec.parent
    assert parent is not None
    rule = spec.filters.get(parent.parameter)
    parents = [each for key, each in lists.items() if api.lists[key].collection is parent.collection]
    if rule is None or not parents or not rule.clauses:
        return Target(None, gaps=[f"not judged: no list of {parent.collection.name} to find a parent id in"])
    records = parents[0].everything or parents[0].sample.records
    candidates = known_ids(records, parent.collection.id_field, PARENTS, seed)
    if not candidates:
        return Target(None, gaps=[f"not judged: no {parent.collection.name} read, so no parent to ask for"])
    bound_spec = bound(spec)
    field_path = rule.clauses[0].path
    flat_index = next(
        (key for key, each in enumerate(api.lists) if each.collection is spec.collection and each.parent is None),
        None,
    )
    flat = lists.get(flat_index) if flat_index is not None else None
    subject = Subject(
        operation,
        roles_of(api, operation),
        parent_parameter=parent.parameter,
        parent_field=field_path,
        unknown_parent_status=parent.unknown_status,
        flat=flat,
        flat_filter=flat_filter(flat.spec, field_path) if flat is not None else None,
    )
    counts = [(_count(first, bound_spec, subject, each), each) for each in candidates]
    chosen = max(counts, key=lambda pair: pair[0])[1]
    subject = replace(subject, parent_id=chosen)
    ctx = OperationContext(
        bound_spec, first.transport, subject=subject, bound={parent.parameter: chosen}, **sibling(first, spec)
    )
    ctx.load_sample()
    others = [Case("valid", ((parent.parameter, each),)) for each in candidates if each != chosen]
    unknown = unknown_ids(spec, spec.parameters[parent.parameter].schema, candidates, 1)
    cases = others + [Case("unknown", ((parent.parameter, each),)) for each in unknown]
    gaps = (
        [] if flat is not None else [f"the sub-collection was compared with no list: none lists {spec.collection.name}"]
    )
    return Target(ctx, cases, gaps)


def _count(first: Context, spec: Spec, subject: Subject, parent_id: str) -> int:
    """How many items the sub-collection has for this parent (its total on a page of one; 0 when unreadable)."""
    probe = OperationContext(spec, first.transport, subject=subject, bound={subject.parent_parameter or "": parent_id})
    answer = first.transport.send(probe.url(((spec.pagination.limit, "1"),)), "key")
    return probe.total(answer) or 0


def item(
    item: ItemSpec,
    lister: Context | None,
    first: Context,
    roles: frozenset[Role],
    options_seed: int | None,
    examples: int,
) -> Target:
    """An item operation judged by its list's data: known ids, unknown ones, a malformed one if any is."""
    base = lister.spec if lister is not None else replace(first.spec, collection=item.collection)
    operation = item.operation
    spec = replace(base, path=operation.path, method=operation.method, statuses=operation.statuses)
    subject = Subject(operation, roles, item=item)
    ctx = OperationContext(spec, first.transport, subject=subject, lister=lister, **sibling(first, spec))
    gaps: list[str] = []
    records = (lister.everything or lister.sample.records) if lister is not None else ()
    known = known_ids(records, item.collection.id_field, max(1, min(examples, ITEM_IDS)), options_seed)
    if lister is None:
        gaps.append(f"the item by id was compared with no list: none lists {item.collection.name}")
    elif not known:
        gaps.append(f"no {item.collection.name} read, so no item by id was asked (only unknown ids)")
    unknown = unknown_ids(spec, item.id_schema, known)
    malformed = malformed_id(spec, item.id_schema)
    if malformed is None:
        gaps.append(f"{item.id_parameter}: its schema accepts any text, so no malformed id was sent")
    name = item.id_parameter
    any_id = (known or unknown or ["0"])[0]
    cases = [_case("no_key", name, any_id)] if spec.api_key_header else []
    if first.rejects_invalid_keys and spec.api_key_header:
        cases.append(_case("wrong_key", name, any_id))
    cases += [_case("valid", name, each) for each in known]
    cases += [_case("unknown", name, each) for each in unknown]
    if malformed is not None:
        cases.append(replace(_case("invalid", name, malformed), invalid=name))
    return Target(ctx, cases, gaps)


def _case(kind: Kind, name: str, value: str) -> Case:
    return Case(kind, ((name, value),))


def other(operation: Operation, first: Context, roles: frozenset[Role]) -> Target:
    """An operation the tools give no meaning to: its shape, asked with the path's documented examples."""
    if operation.method != "get":
        return Target(None, gaps=[f"not sent: the kit sends only GET requests ({operation.key} may change the data)"])
    values: dict[str, str] = {}
    for name, parameter in operation.parameters.items():
        if parameter.location != "path":
            continue
        value = _documented_value(parameter.schema)
        if value is None:
            return Target(None, gaps=[f"not sent: no example of the path parameter {name} to ask with"])
        values[name] = value
    spec = replace(first.spec, path=operation.path, method=operation.method, statuses=operation.statuses)
    ctx = OperationContext(
        spec, first.transport, subject=Subject(operation, roles), bound=values, **sibling(first, spec)
    )
    kinds: Sequence[Kind] = ("valid", "no_key", "wrong_key") if first.rejects_invalid_keys else ("valid", "no_key")
    if not spec.api_key_header:  # the spec asks for no key
        kinds = ("valid",)
    return Target(ctx, [Case(kind) for kind in kinds])


def _documented_value(schema: dict[str, Any]) -> str | None:
    for key in ("example", "default"):
        if key in schema:
            return str(schema[key])
    if schema.get("enum"):
        return str(schema["enum"][0])
    examples = schema.get("examples")
    return str(examples[0]) if examples else None
