"""What checks know of the operation they judge, beyond its list ``Spec``: an item by id, a sub-collection.

Today's checks judge one list through a ``Context``. An operation whose path has parameters, or whose meaning
is another operation's data (the customer by id is the list's item), is judged through an
``OperationContext``: the same context, whose URLs fill the path's parameters (from ``bound`` values, else
from the case's query pairs that name them) and whose ``subject`` says what the operation is. An item
operation judges by its list's data (``lister``): it shares the list's reference and reads the list's sign of
change, so confirmation (``judging.confirmation``) asks again and refreshes as for the list's own checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_tests.judging.context import Context
from contract_tests.judging.registry import Role
from contract_tests.sending.transport import Response, Transport
from customers_spec.model import FilterRule, Spec, fill_path, path_parameters
from customers_spec.wire import Pairs, encode_query

if TYPE_CHECKING:
    from customers_spec.api import ItemSpec, Operation


@dataclass(frozen=True)
class Subject:
    """The operation a context judges and what the cross-operation checks compare it with.

    ``item``: an item by id. ``parent_*``: a sub-collection bound to one parent (the path parameter, the field
    of its items that names the parent, the parent's id). ``flat``: the collection's own list, with
    ``flat_filter`` its filter on the parent field (None: it has none, so the sub-collection is compared with
    the list's items of that parent).
    """

    operation: Operation
    roles: frozenset[Role]
    item: ItemSpec | None = None
    parent_parameter: str | None = None
    parent_field: str | None = None
    parent_id: str | None = None
    unknown_parent_status: int = 404
    flat: Context | None = field(default=None, compare=False)
    flat_filter: FilterRule | None = None


class OperationContext(Context):
    """A context whose URLs fill the path's parameters and whose ``subject`` names the operation judged."""

    def __init__(
        self,
        spec: Spec,
        transport: Transport,
        *,
        subject: Subject,
        bound: Mapping[str, str] | None = None,
        lister: Context | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(spec, transport, **settings)
        self.subject = subject
        self.bound = dict(bound or {})
        self.lister = lister  # the list whose data this operation is judged by (an item operation's)
        if lister is not None:
            self.judge_by(lister)

    def url(self, query: Pairs) -> str:
        """The path with its parameters filled (a value in the query overrides a bound one), then the query."""
        names = set(path_parameters(self.spec.path))
        values = self.bound | {key: value for key, value in query if key in names}
        missing = names - set(values)
        if missing:  # an operation the kit could not fill: the template stays, and the answer says so
            values |= {name: "{" + name + "}" for name in missing}
        text = encode_query(tuple((key, value) for key, value in query if key not in names))
        return f"{self.transport.base_url}{fill_path(self.spec.path, values)}" + (f"?{text}" if text else "")

    def sign_now(self) -> Response:
        """The list's first page, when judged by a list's data: its sign is the one that moves."""
        return self.lister.sign_now() if self.lister is not None else super().sign_now()

    def refresh(self, page: Response) -> None:
        """A moved list's data read again (shared with the list: both judge by it from now on)."""
        if self.lister is not None:
            self.lister.refresh(page)
        else:
            super().refresh(page)


def subject_of(ctx: Context) -> Subject | None:
    """What the context judges, when it is more than one list."""
    return ctx.subject if isinstance(ctx, OperationContext) else None
