"""What the spec's parameters mean, as plain data read from its ``x-`` extensions.

This module only describes; it evaluates nothing. The mock (``mockserver.engine.store`` and
``mockserver.engine.matchers``) and the contract kit (``contract_tests.judging.oracle``) each implement these meanings
on their own, so that each checks the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from customers_spec.suggestions import did_you_mean

if TYPE_CHECKING:
    from customers_spec.wire import SortGrammar, WireFormat

FieldType = Literal["string", "number", "boolean", "date", "objectid"]
FIELD_TYPES: tuple[FieldType, ...] = ("string", "number", "boolean", "date", "objectid")
LIST_OPERATORS = frozenset({"in", "nin"})  # their value is a list (components.x-list-separator)
TEXT_OPERATORS = frozenset({"contains", "startsWith", "endsWith"})  # case-insensitive, on strings


@dataclass(frozen=True, eq=False)
class Collection:
    """A collection of records the spec's operations serve: the data file's key holding them (``name``), the
    component schema of one record, the field that identifies a record, and its own field catalogue."""

    name: str
    schema: str
    id_field: str
    field_types: dict[str, FieldType]

    def __repr__(self) -> str:
        return f"<Collection {self.name} ({self.schema}, id {self.id_field})>"


@dataclass(frozen=True, eq=False)
class Parent:
    """A sub-collection's parent: the path parameter naming it, the parent's collection, and what an unknown
    parent gives (404: a problem, as the operation documents a 404; 200: an empty page)."""

    parameter: str
    collection: Collection
    unknown_status: int


@dataclass(frozen=True)
class Relation:
    """A filter through another collection: customers whose key is ``select`` of a related record matching."""

    collection: str
    schema: str
    match: str
    select: str


@dataclass(frozen=True)
class Clause:
    """One condition: the value at ``path`` compared with the parameter's value by ``operator``."""

    path: str
    operator: str
    type: FieldType
    when: re.Pattern[str] | None = None
    via: Relation | None = None

    def applies_to(self, raw: str) -> bool:
        """Whether this clause takes part for the raw parameter value (``when`` limits e.g. to digits)."""
        return self.when is None or self.when.fullmatch(raw) is not None


@dataclass(frozen=True)
class FilterRule:
    """A filter parameter: an item matches when any applicable clause matches (``general``: built per request)."""

    parameter: str
    clauses: tuple[Clause, ...] = ()
    general: bool = False
    wire: WireFormat = field(kw_only=True)  # the codec that splits a written list (the values of in/nin)


@dataclass(frozen=True)
class SortKey:
    """One key of an order: a path, ascending or descending (written as text by ``SortGrammar``)."""

    path: str
    descending: bool = False


def first_per_path(keys: Iterable[SortKey]) -> tuple[SortKey, ...]:
    """``keys`` with each path's first key only: a path written twice in a sort is ordered by its first place."""
    kept: dict[str, SortKey] = {}
    for key in keys:
        kept.setdefault(key.path, key)
    return tuple(kept.values())


@dataclass(frozen=True)
class SortSpec:
    """The ``sort`` parameter from its ``x-sort`` extension: how it is written (``grammar``, the wire codec's)
    and the order it means (the default, the tie-breaker)."""

    grammar: SortGrammar
    default: tuple[SortKey, ...]
    tie_breaker: SortKey

    @property
    def parameter(self) -> str:
        return self.grammar.parameter

    @property
    def fields(self) -> tuple[str, ...]:
        """The sortable paths."""
        return self.grammar.fields

    def parse(self, raw: str) -> tuple[SortKey, ...]:
        """The keys written in ``raw``, first occurrence of a path winning; ValueError names what is wrong."""
        return first_per_path(self.grammar.read(raw))

    def effective(self, raw: str | None) -> tuple[SortKey, ...]:
        """The full order of a request's written ``sort`` (absent or empty: the default order)."""
        return self.ordered_by(self.grammar.read(raw) if raw else ())

    def ordered_by(self, written: Sequence[SortKey]) -> tuple[SortKey, ...]:
        """The full order of the keys a request wrote: each path's first key (or the default when none), then
        the tie-breaker unless already there."""
        keys = first_per_path(written) or self.default
        if any(key.path == self.tie_breaker.path for key in keys):
            return keys
        return (*keys, self.tie_breaker)


@dataclass(frozen=True)
class Pagination:
    """Names of the paging parameters and headers, from the operation's ``x-pagination``."""

    limit: str
    offset: str
    total_header: str
    link_header: str
    relations: tuple[str, ...]


@dataclass(frozen=True)
class Parameter:
    """A query parameter as the spec declares it, with its schema fully resolved."""

    name: str
    location: str
    schema: dict[str, Any]
    style: str
    explode: bool
    comma_separated: bool
    description: str = ""

    @property
    def is_array(self) -> bool:
        return self.schema.get("type") == "array"

    @property
    def is_deep_object(self) -> bool:
        return self.style == "deepObject"

    @property
    def default(self) -> Any:
        return self.schema.get("default")


@dataclass(frozen=True, eq=False, repr=False)
class Spec:
    """The loaded spec: the raw document plus everything the tools read from it, parsed once (hashed by identity)."""

    document: dict[str, Any]
    path: str
    method: str
    parameters: dict[str, Parameter]
    filters: dict[str, FilterRule]
    sort: SortSpec
    pagination: Pagination
    field_types: dict[str, FieldType]
    operators_by_type: dict[FieldType, frozenset[str]]
    api_key_header: str
    wire: WireFormat
    statuses: frozenset[int] = field(default_factory=frozenset)
    collection: Collection = field(kw_only=True)
    parent: Parent | None = field(default=None, kw_only=True)

    def __repr__(self) -> str:
        """Short: Hypothesis and pytest print arguments, and the whole document would fill a screen."""
        return f"<Spec {self.method.upper()} {self.path}: {len(self.parameters)} parameters>"

    @property
    def sortable(self) -> bool:
        """Whether the operation declares a sort parameter (``x-sort``); without one, ``sort`` has no fields and
        no parameter, and the order is the tie-breaker's: the collection's id ascending."""
        return bool(self.sort.fields)

    @property
    def path_parameters(self) -> tuple[str, ...]:
        """The names of the path's parameters, in the order the template writes them."""
        return path_parameters(self.path)

    def url_path(self, values: Mapping[str, str]) -> str:
        """The path with its parameters filled in, each value percent-encoded as one segment."""
        return fill_path(self.path, values)

    @property
    def operation(self) -> dict[str, Any]:
        return self.document["paths"][self.path][self.method]

    @property
    def operation_id(self) -> str:
        return self.operation.get("operationId", f"{self.method.upper()} {self.path}")

    def general_clause(self, path: str, operator: str, type_: FieldType | None = None) -> Clause:
        """The clause a ``generalField`` filter stands for; ValueError says why it is not allowed."""
        field_type = self.field_types.get(path)
        if field_type is None:
            raise ValueError(f"'{path}' is not a filterable field{did_you_mean(path, self.field_types)}")
        if type_ is not None and type_ != field_type:
            raise ValueError(f"'{path}' is of type {field_type}, not {type_}")
        if operator not in self.operators_by_type[field_type]:
            allowed = ", ".join(sorted(self.operators_by_type[field_type]))
            hint = did_you_mean(operator, self.operators_by_type[field_type])
            raise ValueError(f"operator '{operator}' is not allowed for {field_type} fields{hint} ({allowed})")
        return Clause(path=path, operator=operator, type=field_type)


PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")


def path_parameters(template: str) -> tuple[str, ...]:
    """The parameter names of a path template (``/v2/customers/{customerId}`` -> ``('customerId',)``)."""
    return tuple(PATH_PARAMETER.findall(template))


def fill_path(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{name}`` replaced by its value, percent-encoded as one path segment."""
    return PATH_PARAMETER.sub(lambda found: quote(str(values[found.group(1)]), safe=""), template)
