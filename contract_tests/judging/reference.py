"""The data the checks judge by, read from the server: all of it when small, else its first page.

A shared staging moves while the kit runs, so what was read at the start goes stale. A ``Reference`` carries a
cheap sign of change (the unfiltered total and a digest of the items read): reading it again and comparing the
signs tells whether the data moved, and a moved reference replaces the stale one (``Context.refresh``).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_tests.generation.cases import Case
from contract_tests.generation.sample import Sample, sample_from
from contract_tests.judging.failures import ContractViolation
from customers_spec.errors import KitError

if TYPE_CHECKING:
    from contract_tests.judging.context import Context
    from contract_tests.sending.transport import Response

SAMPLE_LIMIT = 1000  # records of a broken page read for values, at most
Sign = tuple[int | None, bytes]  # the unfiltered total, a digest of the items read
Related = Mapping[str, Sequence[dict[str, Any]]]  # related records by collection, from a dataset file


@dataclass(frozen=True)
class Reference:
    """What was read of the data at one moment: everything (when small), the sample, and their sign."""

    everything: list[dict[str, Any]] | None = None
    sample: Sample = field(default_factory=Sample)
    sign: Sign = (None, b"")


class Board:
    """The reference the checks judge by, shared by the context and its views (replaced, never changed)."""

    def __init__(self, reference: Reference | None = None, related: Related | None = None) -> None:
        self.reference = reference or Reference()
        self.related = related

    def judging(self, reference: Reference) -> Board:
        """Another board, judging by ``reference`` with the same related records."""
        return Board(reference, self.related)

    def mend(self, stale: Reference, mended: Reference) -> None:
        """Judge by ``mended`` (``stale`` with some items read again) from now on, unless ``stale`` was
        replaced meanwhile."""
        if self.reference is stale:
            self.reference = mended


def read_reference(
    ctx: Context, related: Mapping[str, Sequence[dict[str, Any]]] | None, response: Response | None = None
) -> Reference:
    """Read the data behind the API (all of it when small): the sample, completeness and its sign of change.
    ``response``: the first page, when asked already (``first_page``)."""
    response = response or first_page(ctx)
    if response.status == 401:
        raise KitError(f"the server refused the API key (401 from {response.url})")
    first, total = ctx.items(response), ctx.total(response)
    everything = None
    if first is not None and total is not None and total <= ctx.completeness_limit:
        everything = first if len(first) >= total else _collected(ctx)
    usable = everything or first or _records(response)
    sample = sample_from(ctx.spec, usable, total=len(usable) if total is None else total, related=related)
    return Reference(everything, sample, sign_of(ctx, response))


def first_page(ctx: Context) -> Response:
    """The unfiltered first page at the largest limit: what the reference is read from, and its sign."""
    return ctx.transport.send(ctx.url(((ctx.spec.pagination.limit, str(ctx.page_limit)),)), "key")


def sign_of(ctx: Context, response: Response) -> Sign:
    """The unfiltered total and a digest of the first page as sent: cheap, and it changes with any write
    to the customers it holds (all of them, on small data)."""
    return ctx.total(response), hashlib.blake2b(response.body, digest_size=16).digest()


def _collected(ctx: Context) -> list[dict[str, Any]] | None:
    """Every item, paged through; None on a broken server (the checks will say how)."""
    with contextlib.suppress(ContractViolation):
        return ctx.for_example().collect(Case("valid"), ContractViolation)
    return None


def _records(response: Response) -> list[dict[str, Any]]:
    """The objects in a body that is not a valid page, still good for biasing generated values."""
    try:
        body = response.json
    except ValueError:
        return []
    if not isinstance(body, list):
        return []
    return [record for record in body[:SAMPLE_LIMIT] if isinstance(record, dict)]
