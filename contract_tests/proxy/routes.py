"""Which operation of the spec an answer the proxy watches belongs to, the context that judges it, and the
request read back as a ``Case`` of that operation.

A frontend reads the list, the customer by id and a customer's sites; the proxy judges each answer by the
checks of its operation's kind that send nothing (shape, input handling, a sub-collection's items naming the
parent). An item asked with an id in the wrong form is an ``invalid`` request, one answered with the
operation's 404 an ``unknown`` one: the proxy cannot know an id exists, the answer says.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.observed import observed_case
from contract_tests.judging.operations import OperationContext, Subject
from contract_tests.judging.registry import Check
from contract_tests.running import targets
from contract_tests.running.records import Outcome
from contract_tests.sending.transport import Transport
from customers_spec.api import Api, Operation
from customers_spec.model import path_parameters
from customers_spec.schemas import schema_for_value
from customers_spec.wire import Pairs

UNAUTHORIZED = 401


@dataclass
class Route:
    """One GET operation the proxy judges: how its path looks, its context and checks, its own outcome."""

    operation: Operation
    pattern: re.Pattern[str]
    ctx: Context
    checks: tuple[Check, ...]
    outcome: Outcome = field(default_factory=Outcome)

    def values(self, path: str) -> dict[str, str] | None:
        """The path's parameters if ``path`` is this operation's, else None."""
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        return dict(zip(path_parameters(self.operation.path), map(unquote, found.groups()), strict=True))

    def case(self, values: dict[str, str], pairs: Pairs, *, key_sent: bool, status: int) -> tuple[Context, Case]:
        """The context (bound to the path's values) and the case of one observed request."""
        subject = self.ctx.subject if isinstance(self.ctx, OperationContext) else None
        if subject is None:
            return self.ctx, observed_case(self.ctx.spec, pairs, key_sent=key_sent, status=status)
        view = copy.copy(self.ctx)
        assert isinstance(view, OperationContext)
        view.bound = dict(values)
        if not key_sent or status == UNAUTHORIZED:
            return view, observed_case(view.spec, pairs, key_sent=key_sent, status=status)
        if subject.item is not None:
            return view, _item_case(view, subject, values, status)
        if subject.parent_parameter is not None:
            view.subject = replace(subject, parent_id=values.get(subject.parent_parameter))
            if status == subject.unknown_parent_status != 200:
                return view, Case("unknown", pairs)
        return view, observed_case(view.spec, pairs, key_sent=key_sent, status=status)


def _item_case(ctx: Context, subject: Subject, values: dict[str, str], status: int) -> Case:
    item = subject.item
    assert item is not None
    value = values.get(item.id_parameter, "")
    query = ((item.id_parameter, value),)
    if not schema_for_value(ctx.spec, item.id_schema).is_valid(value):
        return Case("invalid", query, invalid=item.id_parameter)
    return Case("unknown" if status == item.not_found_status else "valid", query)


def routes(api: Api, transport: Transport, checks: tuple[Check, ...], link_origin: str | None) -> list[Route]:
    """A route for every GET operation of ``api``, in the spec's order, with the passive checks of its kind."""
    found = []
    for operation in api.operations:
        if operation.method != "get":
            continue
        roles = targets.roles_of(api, operation)
        subject = Subject(operation, roles)
        spec = api.list_of(operation)
        base = api.lists[0] if api.lists else None
        ctx: Context
        if spec is not None and spec.parent is None:
            ctx = Context(spec, transport, link_origin=link_origin)
        elif spec is not None and spec.parent is not None:
            subject = replace(
                subject,
                parent_parameter=spec.parent.parameter,
                parent_field=targets.parent_field(spec),
                unknown_parent_status=spec.parent.unknown_status,
            )
            ctx = OperationContext(targets.bound(spec), transport, subject=subject, link_origin=link_origin)
        elif base is not None:
            item = api.item_of(operation)
            kept = item.list if item is not None and item.list is not None else base
            shaped = replace(kept, path=operation.path, method=operation.method, statuses=operation.statuses)
            ctx = OperationContext(shaped, transport, subject=replace(subject, item=item), link_origin=link_origin)
        else:
            continue
        judged = tuple(check for check in checks if check.judges(roles))
        outcome = Outcome(checks=tuple(check.name for check in judged), unit="request", operation=operation.label)
        found.append(Route(operation, _pattern(operation.path), ctx, judged, outcome))
    return found


def _pattern(template: str) -> re.Pattern[str]:
    """The paths of a template: each ``{parameter}`` one non-empty segment."""
    parts = re.split(r"\{[^{}]+\}", template)
    return re.compile("([^/]+)".join(re.escape(part) for part in parts))
