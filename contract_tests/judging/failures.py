"""The one kind of problem a check reports: a contract violation, saying what was expected and what came.

Each violation is a small dataclass deriving from ``AssertionError``, so pytest and Hypothesis treat it as a
failed assertion (Hypothesis shrinks the request that caused it). One that compares answers names the items
it is about by id (``about``, ``witnesses``), so that confirmation can judge it by their current state.
Problems with the kit's own inputs are ``customers_spec.errors.KitError`` instead; an unreachable server is
``Unreachable``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


def id_texts(ids: Iterable[object]) -> tuple[str, ...]:
    """The ids of items a violation is about, in order, once each, as text (ids that are not text are left out:
    they cannot be asked for by id)."""
    return tuple(dict.fromkeys(each for each in ids if isinstance(each, str)))


@dataclass(eq=False)
class ContractViolation(AssertionError):
    """The API under test broke the contract: ``expected`` vs ``actual`` at the JSON ``path`` of the response."""

    expected: str
    actual: str
    path: str = ""
    check: str = field(default="", init=False, repr=False)  # set by the runner: which check found it
    case: Any = field(default=None, init=False, repr=False)  # set by the runner: the request that shows it
    response: Any = field(default=None, init=False, repr=False)  # set by the runner: the answer, for reports
    requests: tuple[str, ...] = field(default=(), kw_only=True)  # follow-up URLs whose answers disagree
    # the ids of the items a disagreement between answers names (missing, extra, out of place, the sampled
    # anchor), and of the others it was judged on (the witnesses): confirmation reads them again by id
    about: tuple[str, ...] = field(default=(), kw_only=True)
    witnesses: tuple[str, ...] = field(default=(), kw_only=True)
    summary: ClassVar[str] = "the response breaks the contract"

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{self.summary}{where}: expected {self.expected}; got {self.actual}"


@dataclass(eq=False)
class UndocumentedStatus(ContractViolation):
    summary: ClassVar[str] = "status code not documented for the operation"


@dataclass(eq=False)
class ServerError(ContractViolation):
    summary: ClassVar[str] = "server error"


@dataclass(eq=False)
class WrongContentType(ContractViolation):
    summary: ClassVar[str] = "wrong Content-Type"


@dataclass(eq=False)
class SchemaViolation(ContractViolation):
    summary: ClassVar[str] = "body does not match the response schema"


@dataclass(eq=False)
class HeaderViolation(ContractViolation):
    summary: ClassVar[str] = "response header missing or malformed"


@dataclass(eq=False)
class InvalidInputAccepted(ContractViolation):
    summary: ClassVar[str] = "invalid input not rejected with 400"


@dataclass(eq=False)
class ValidInputRejected(ContractViolation):
    summary: ClassVar[str] = "valid request not answered with 200"


@dataclass(eq=False)
class AuthNotEnforced(ContractViolation):
    summary: ClassVar[str] = "request without a valid API key not rejected with 401"


@dataclass(eq=False)
class FilterViolation(ContractViolation):
    summary: ClassVar[str] = "returned item does not satisfy the request's filters"


@dataclass(eq=False)
class IncompleteResult(ContractViolation):
    summary: ClassVar[str] = "filtered result misses an item that satisfies the filters"


@dataclass(eq=False)
class PageSizeViolation(ContractViolation):
    summary: ClassVar[str] = "page has the wrong number of items"


@dataclass(eq=False)
class OrderViolation(ContractViolation):
    summary: ClassVar[str] = "items are not in the requested order"


@dataclass(eq=False)
class PagingViolation(ContractViolation):
    summary: ClassVar[str] = "pages of one query do not tile its result"


@dataclass(eq=False)
class TotalCountViolation(ContractViolation):
    summary: ClassVar[str] = "X-Total-Count disagrees with what paging yields"


@dataclass(eq=False)
class LinkViolation(ContractViolation):
    summary: ClassVar[str] = "Link header does not lead to the neighbouring pages"


@dataclass(eq=False)
class LinkDowngrade(ContractViolation):
    summary: ClassVar[str] = "Link header downgrades https to http"


@dataclass(eq=False)
class RelationViolation(ContractViolation):
    summary: ClassVar[str] = "relation filter gives the wrong customers"


@dataclass(eq=False)
class NotDeterministic(ContractViolation):
    summary: ClassVar[str] = "the same request gave a different answer"


@dataclass(eq=False)
class WitnessViolation(ContractViolation):
    summary: ClassVar[str] = "sampled items (witnesses) are not found as the filters or the order demand"


@dataclass(eq=False)
class TotalsViolation(ContractViolation):
    summary: ClassVar[str] = "the X-Total-Count of related requests disagree"


@dataclass(eq=False)
class ItemViolation(ContractViolation):
    summary: ClassVar[str] = "the item by id is not the list's item"


@dataclass(eq=False)
class NotFoundViolation(ContractViolation):
    summary: ClassVar[str] = "an unknown id is not answered with a 404 problem"


@dataclass(eq=False)
class ParentViolation(ContractViolation):
    summary: ClassVar[str] = "the sub-collection is not its parent's part of the collection"
