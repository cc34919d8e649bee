"""A violation is one that reproduces: a check that compares answers confirms a disagreement before reporting it.

On a shared staging others write while the kit runs, so two answers may disagree only because the data moved
between them. A check that sends follow-up requests (``Check.follow_ups``) compares answers; when it raises,
its requests are asked again, close together and in reverse order, in *windows*: between two readings of the
items the disagreement is about, read by id (``items_now``: those it names, ``ContractViolation.about``, and
its witnesses), and between two readings of the cheap sign of change (the total and a digest of the first
page), the first test, never the proof. A window in which the items moved says nothing (with no items to
read, one in which the sign moved). Otherwise the check runs again on the answers, judged by the same items as
they are now (``items_now.patched``: the same witnesses, never a refreshed sample that would pick others): a
disagreement their current state explains, or one about an item that no longer exists, is unsettled. A
consistent fault raises again: in one window in which the sign stood still when its first page holds every
item (it then sees any write), else on the same answers and items in two windows one after the other (a write
that changes an answer shows as answers that differ; one elsewhere, which the sign may see, leaves them alike).
That is the violation reported. A disagreement that does not come back is unsettled, counted apart and never
a failure; one never judged in all its windows is undecided too (``budget``: five make the run could not judge).

A disagreement that names no items (counts), or a spec without an id filter, is judged as before: by the sign
alone, the reference re-read when it moved (``Context.refresh``), and the same answers in two still windows.
Confirming has a budget (``budget``); once spent, a disagreement is unsettled unasked. Checks that read one
answer alone (schema, filters hold, sort order) stay exact.

Confirming happens before any exception reaches Hypothesis, so its replays see the same verdict.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context, Sent
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.items_now import ItemsNow, id_path, patched, read_by_id
from contract_tests.judging.reference import sign_of
from contract_tests.judging.registry import Check
from contract_tests.sending.transport import Response

ATTEMPTS = 5  # windows asked before the disagreement is left unsettled
Answers = list[tuple[Sent, Response]]


@dataclass(frozen=True)
class Reproduced:
    """A violation found again on fresh answers, with the fresh answer to the request that shows it."""

    violation: ContractViolation
    response: Response


@dataclass(frozen=True)
class Window:
    """The disputed requests asked again, between two readings of the sign and of the asked items."""

    answers: Answers
    page: Response  # the sign read after the answers
    moved: bool  # the sign or the asked items changed during it
    counted: bool  # it can judge: the asked items stood still (the sign alone cannot prove stillness)
    sign_still: bool
    items: ItemsNow | None  # read after the answers; None when not read by id


def confirmed(ctx: Context, check: Check, case: Case, sent: list[Sent], found: ContractViolation) -> Reproduced | None:
    """The check's violation found again on answers given while the data stood still, or None (unsettled).

    ``found``: the violation as first raised, naming the items it is about. None too, unasked, when confirming
    has spent its budget (``budget``)."""
    if ctx.confirming.spent():
        return None
    with ctx.confirming.timing():
        return _Confirming(ctx, check, case, sent, found).run()


class _Confirming:
    """One disagreement asked again, window after window, until it settles or ``ATTEMPTS`` are spent."""

    def __init__(self, ctx: Context, check: Check, case: Case, sent: list[Sent], found: ContractViolation) -> None:
        self.ctx, self.check, self.case, self.sent = ctx, check, case, sent
        self.path = id_path(ctx) if found.about else None  # None: judged by the sign alone
        if found.about and self.path is None:
            ctx.confirming.by_sign_alone()  # the spec has no id filter: said in the reports
        self.named = set(found.about)
        self.asked = tuple(dict.fromkeys([*found.about, *found.witnesses]))
        self.stale = ctx.board.reference  # what the disagreement was judged by, and what is mended
        self.previous: tuple[object, ...] | None = None  # what the last still window in which it raised saw
        self.page: Response | None = None  # the sign as last read
        self.now: ItemsNow | None = None  # the asked items as last read in a still window
        self.last: ItemsNow | None = None  # the asked items as last read

    def run(self) -> Reproduced | None:
        try:
            for _ in range(ATTEMPTS):
                window = self._window()
                if not window.counted:
                    self.previous = None
                    continue
                again, settled = self._judged(window)
                if settled:
                    return again
        finally:
            self._keep_fresh()
        self.ctx.confirming.undecided()  # unsettled, but not because it did not come back: the run says so
        return None

    def _window(self) -> Window:
        """Ask again between two readings; a window right after another starts from that one's readings
        (taken before the check ran again: the window is only wider)."""
        ctx = self.ctx
        before = sign_of(ctx, self.page) if self.page is not None else sign_of(ctx, ctx.sign_now())
        items_before = self.last if self.last is not None and self.last.asked == self.asked else self._items()
        answers = _asked_again(ctx, self.case, self.sent)
        items = self.last = self._items()
        self.page = ctx.sign_now()
        sign_still = before == sign_of(ctx, self.page)
        items_still = items_before is None or items_before == items
        gone = len(self.named & set(items.gone)) if items is not None and items_still else 0
        ctx.confirming.window(not (sign_still and items_still), gone)
        items = items if self.path is not None else None
        counted = items_still if items is not None else sign_still
        return Window(answers, self.page, not (sign_still and items_still), counted, sign_still, items)

    def _items(self) -> ItemsNow | None:
        if self.path is None:
            return None
        now = read_by_id(self.ctx, self.asked)
        if now is None:
            self.path = None  # the server's id filter cannot tell a removed item here: the sign alone judges
            self.ctx.confirming.by_sign_alone()
        return now

    def _judged(self, window: Window) -> tuple[Reproduced | None, bool]:
        """The check run again on a still window: (its violation, whether that settles the disagreement)."""
        ctx, items = self.ctx, window.items
        if items is not None and self.path is not None:
            self.now = items
            if self.named & set(items.gone):
                return None, True  # about an item that no longer exists: unsettled
            view = ctx.replaying(window.answers, ctx.board.judging(patched(self.stale, items, self.path)))
        else:
            ctx.refresh(window.page)
            view = ctx.replaying(window.answers)
        again = _run_again(view, self.check, self.case)
        if view.missed:
            self.sent = [*self.sent, *view.missed]  # the check asked what the first run had not: ask it too
            self.previous = None
            return None, False
        if again is None:
            return None, True  # it did not come back: unsettled
        more = [each for each in (*again.violation.about, *again.violation.witnesses) if each not in self.asked]
        if self.path is not None and more:
            self.named |= set(again.violation.about)  # it names other items now: read them too, and ask again
            self.asked = (*self.asked, *more)
            self.previous = None
            return None, False
        if window.sign_still and _sees_all(ctx, window.page):
            return again, True  # the sign holds every item, so it saw any write: one still window settles
        seen = (_seen(ctx, window.answers), items.digest if items is not None else b"")
        if self.previous == seen:
            return again, True  # the same answers, and the same items, in two still windows: consistent
        self.previous = seen
        return None, False

    def _keep_fresh(self) -> None:
        """Later examples judge by a reference read again if the sign moved since it was read, else by the
        asked items as last read by id."""
        if self.page is not None and sign_of(self.ctx, self.page) != self.ctx.sign:
            self.ctx.refresh(self.page)
        elif self.now is not None and self.path is not None:
            self.ctx.board.mend(self.stale, patched(self.stale, self.now, self.path))


def _sees_all(ctx: Context, page: Response) -> bool:
    """Whether the sign's first page holds every item (it then changes with any write)."""
    total = ctx.total(page)
    return total is not None and total <= ctx.page_limit


def _seen(ctx: Context, answers: Answers) -> tuple[tuple[object, ...], ...]:
    """What two windows compare: each request's status, paging headers and a digest of its body."""
    names = ctx.spec.pagination
    return tuple(
        (
            sent,
            response.status,
            response.header(names.total_header),
            response.header(names.link_header),
            hashlib.blake2b(response.body, digest_size=16).digest(),
        )
        for sent, response in answers
    )


def _asked_again(ctx: Context, case: Case, sent: list[Sent]) -> Answers:
    """The request and its follow-ups asked again, close together and in reverse order."""
    asked: list[Sent] = [(ctx.url(case.query), case.credentials), *sent]
    return [(each, ctx.transport.send(*each)) for each in reversed(asked)]


def _run_again(view: Context, check: Check, case: Case) -> Reproduced | None:
    """The check run on the answers asked again (``view`` replays them); its violation, if it raises one."""
    response = view.send(case)
    if check.needs_page and view.items(response) is None:
        return None  # no page this time: the first answer's disagreement cannot be judged again
    try:
        check.run(view, case, response)
    except ContractViolation as violation:
        return Reproduced(violation, response)
    return None
