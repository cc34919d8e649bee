"""The named checks: small functions ``(ctx, case, response) -> None`` registered by a decorator.

A check raises a ``ContractViolation``, returns ``NOT_JUDGED`` when the request gave it nothing to judge (a
sort check on a page of one item), or returns None: judged and passed. Only judged requests count as passes,
so a report never claims a check held when it was never put to the test. A check declares which kinds of
request it judges and whether it needs a successful page (a 200 whose body is a valid list of customers), so
it never re-checks shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Final, Literal

from contract_tests.generation.cases import KINDS, Case, Kind
from customers_spec.errors import KitError

if TYPE_CHECKING:
    from contract_tests.judging.context import Context
    from contract_tests.sending.transport import Response


class Verdict(Enum):
    NOT_JUDGED = "not judged"


NOT_JUDGED: Final = Verdict.NOT_JUDGED
# What an operation is to the checks: a list (of any collection), a sub-collection (a list filtered by its
# parent, also a list), an item by id, or an operation the tools give no meaning to (shape only).
Role = Literal["list", "sub", "item", "other"]
ROLES: tuple[Role, ...] = ("list", "sub", "item", "other")
CheckFunction = Callable[["Context", Case, "Response"], Verdict | None]


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckFunction
    kinds: frozenset[Kind]
    needs_page: bool
    follow_ups: bool = False  # sends requests of its own (pages, repeats): the proxy, which only watches, skips it
    on: frozenset[Role] = frozenset({"list"})  # the operations it judges (see ``Role``)

    def judges(self, roles: Iterable[Role]) -> bool:
        """Whether it judges an operation with these roles (a sub-collection is also a list)."""
        return not self.on.isdisjoint(roles)

    @property
    def description(self) -> str:
        return (self.run.__doc__ or "").strip().splitlines()[0] if self.run.__doc__ else ""


CHECKS: dict[str, Check] = {}


def check(
    *,
    kinds: Iterable[Kind] = KINDS,
    needs_page: bool = False,
    follow_ups: bool = False,
    on: Iterable[Role] = ("list",),
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a check named after it; ``follow_ups``: it sends requests of its own;
    ``on``: the operations it judges (lists by default: a team's check of customers judges the lists)."""

    def register(function: CheckFunction) -> CheckFunction:
        name = function.__name__
        known = CHECKS.get(name)
        if known is not None and known.run.__module__ != function.__module__:  # a module imported anew may re-register
            raise KitError(f"two checks are named {name}: in {known.run.__module__} and {function.__module__}")
        CHECKS[name] = Check(name, function, frozenset(kinds), needs_page, follow_ups, frozenset(on))
        return function

    return register
