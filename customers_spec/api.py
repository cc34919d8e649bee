"""The whole document as the tools read it: every operation it declares, the collections they serve, and what
each operation means (a list, an item by id, or one the tools give no meaning to and serve as declared).

Plain data, like ``customers_spec.model``: ``customers_spec.loader`` builds an ``Api``, once per document; the
mock serves every ``Operation`` of it and the kit checks every one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from customers_spec.model import Collection, Parameter, Spec, fill_path
from customers_spec.suggestions import did_you_mean

if TYPE_CHECKING:
    from customers_spec.writes import WriteSpec

OperationKind = Literal["list", "item", "create", "replace", "update", "delete", "other"]


@dataclass(frozen=True, eq=False)
class Operation:
    """One operation of the document (a method on a path), in document order, with what the tools read of it."""

    method: str  # lower-case
    path: str  # the template, with {parameters}
    operation_id: str  # the operationId, else "GET /path"
    kind: OperationKind
    collection: Collection | None
    statuses: frozenset[int]
    parameters: dict[str, Parameter]  # query and path parameters (``Parameter.location`` says which)

    def __repr__(self) -> str:
        return f"<Operation {self.label}>"

    @property
    def key(self) -> str:
        """``METHOD /path``: what names the operation whether or not it has an operationId."""
        return f"{self.method.upper()} {self.path}"

    @property
    def label(self) -> str:
        """How reports name it: ``listCustomers (GET /v2/customers)``, or the key alone without an operationId."""
        return self.key if self.operation_id == self.key else f"{self.operation_id} ({self.key})"

    def matches(self, key: str) -> bool:
        """Whether ``key`` names this operation: its operationId or ``METHOD /path`` (the method in any case)."""
        method, _, path = key.strip().partition(" ")
        return key.strip() == self.operation_id or (method.lower() == self.method and path.strip() == self.path)


@dataclass(frozen=True, eq=False)
class ItemSpec:
    """An item-by-id operation: the path parameter that selects a record of the collection by its id."""

    operation: Operation
    collection: Collection
    id_parameter: str
    id_schema: dict[str, Any]  # the parameter's schema: a value it refuses is a malformed id (400)
    list: Spec | None  # the list of the same collection the item must agree with, when the document has one
    not_found_status: int = 404

    def __repr__(self) -> str:
        return f"<ItemSpec {self.operation.label}>"

    def url_path(self, id_value: str) -> str:
        """The operation's path for the record with this id (percent-encoded as one segment)."""
        return fill_path(self.operation.path, {self.id_parameter: id_value})


@dataclass(frozen=True, eq=False, repr=False)
class Api:
    """Every operation of one document; ``lists`` and ``items`` are those the tools give a meaning to."""

    document: dict[str, Any]
    collections: dict[str, Collection]
    operations: tuple[Operation, ...]
    lists: tuple[Spec, ...]
    items: tuple[ItemSpec, ...]
    api_key_header: str
    writes: tuple[WriteSpec, ...] = ()  # the creates, replaces, updates and deletes (``customers_spec.writes``)

    def __repr__(self) -> str:
        return f"<Api: {len(self.operations)} operations>"

    def write_of(self, operation: Operation) -> WriteSpec | None:
        """The ``WriteSpec`` of ``operation``, if it is a write."""
        return next((write for write in self.writes if write.operation is operation), None)

    def operation(self, key: str) -> Operation:
        """The operation named by its operationId or ``METHOD /path``; KeyError with the closest names."""
        for operation in self.operations:
            if operation.matches(key):
                return operation
        names = [name for operation in self.operations for name in (operation.operation_id, operation.key)]
        raise KeyError(f"no operation {key!r}{did_you_mean(key, names)}; the spec declares {', '.join(names)}")

    def list_of(self, operation: Operation) -> Spec | None:
        """The list ``Spec`` of ``operation``, if it is a list."""
        return next((spec for spec in self.lists if _same(spec, operation)), None)

    def item_of(self, operation: Operation) -> ItemSpec | None:
        """The ``ItemSpec`` of ``operation``, if it is an item by id."""
        return next((item for item in self.items if item.operation is operation), None)

    def selected(self, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Api:
        """This API with only the operations ``include`` names (all when empty) and none that ``exclude`` names;
        a name that matches no operation is a KeyError (a typo must not select nothing in silence)."""
        for key in (*include, *exclude):
            self.operation(key)
        kept = tuple(
            operation
            for operation in self.operations
            if (not include or any(operation.matches(key) for key in include))
            and not any(operation.matches(key) for key in exclude)
        )
        return replace(
            self,
            operations=kept,
            lists=tuple(spec for spec in self.lists if any(_same(spec, each) for each in kept)),
            items=tuple(item for item in self.items if item.operation in kept),
            writes=tuple(write for write in self.writes if write.operation in kept),
        )


def _same(spec: Spec, operation: Operation) -> bool:
    return spec.path == operation.path and spec.method == operation.method
