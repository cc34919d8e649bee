"""What every report says about a run, worded once: the verdict, each check's row (failing checks first), what
was covered and not generated, the unsettled count, minimizing, and the facts that repeat the run. The text,
JSON, HTML, JUnit and step-summary reports all take their sentences from here."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from contract_tests.judging.registry import CHECKS
from contract_tests.running.records import Outcome

UNSETTLED = "disagreements that did not reproduce when asked again: the data changed during the check"


def plural(count: int, noun: str) -> str:
    """``1 example``, ``2 examples``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def verdict(outcome: Outcome) -> str:
    """The one-line verdict: could not test, the violations found, could not judge (most comparisons unsettled),
    or conforms."""
    if outcome.error is not None:
        return f"COULD NOT TEST: {outcome.error}"
    early = " (stopped early)" if outcome.stopped is not None else ""
    examples = plural(outcome.examples, outcome.unit)
    if not outcome.failures and outcome.could_not_judge:
        unsettled, settled = sum(outcome.unsettled.values()), sum(outcome.settled.values())
        done = outcome.confirming
        spent = (
            f"; confirming spent its budget of {done.seconds_allowed:.0f} s and left"
            f" {plural(done.unasked, 'disagreement')} unasked"
            if done.unasked
            else ""
        )
        undecided = (
            f"; {plural(done.undecided, 'disagreement')} never found the data still enough to judge"
            if done.undecided
            else ""
        )
        return (
            f"COULD NOT JUDGE: {unsettled} of {plural(unsettled + settled, 'comparison')} between answers stayed"
            f" unsettled (the data changed during the check) in {examples}"
            + (f"; {moving(outcome)}" if done.windows else "")
            + undecided
            + spent
        )
    if outcome.failures:
        return f"{plural(len(outcome.failures), 'contract violation')} in {examples}{early}"
    return f"conforms: {examples}, no violations{early}"


@dataclass(frozen=True)
class CheckRow:
    """One check's line in a report."""

    name: str
    description: str
    passed: int
    failed: int
    unsettled: int
    result: str  # "failed", "ok" or "nothing judged"

    @property
    def judged(self) -> int:
        return self.passed + self.failed


def check_rows(outcome: Outcome) -> list[CheckRow]:
    """Every check of the run, the failing ones first (then in the run's order)."""
    failing = {failure.check for failure in outcome.failures}
    rows = [
        CheckRow(
            name,
            description(name),
            outcome.passed[name],
            outcome.failed[name],
            outcome.unsettled[name],
            "failed" if name in failing else "ok" if outcome.passed[name] else "nothing judged",
        )
        for name in outcome.checks
    ]
    return sorted(rows, key=lambda row: row.result != "failed")


def description(check: str) -> str:
    """What the check judges, as ``--list-checks`` says it ("" for a check this process does not know)."""
    known = CHECKS.get(check)
    return known.description if known is not None else ""


def covered(outcome: Outcome) -> str:
    """Examples, areas reached, HTTP traffic and speed."""
    traffic = outcome.traffic
    reached = [area for area in outcome.areas if area.reached]
    per_example = traffic.requests / outcome.examples if outcome.examples else 0.0
    rate = outcome.examples / outcome.seconds if outcome.seconds else 0.0
    return (
        f"covered: {plural(outcome.examples, 'example')} in {len(reached)} of {plural(len(outcome.areas), 'area')},"
        f" {plural(traffic.requests, 'HTTP request')} ({per_example:.1f} per example), {outcome.seconds:.1f} s"
        f" ({rate:.1f} examples/s)"
    )


def minimizing(outcome: Outcome) -> str | None:
    """How long minimizing the failures took and what it sent; None when nothing was minimized."""
    done = outcome.minimizing
    if not done.failures:
        return None
    cut = f"; stopped at its limit of {' and '.join(done.limits)}" if done.limits else ""
    return (
        f"minimizing the failures: {done.seconds:.1f} s, {plural(done.examples, 'example')}"
        f" ({plural(done.requests, 'HTTP request')}){cut}"
    )


def moving(outcome: Outcome) -> str:
    """How often the data was seen to move while disagreements were asked again."""
    done = outcome.confirming
    gone = f", {plural(done.gone, 'item')} it named gone" if done.gone else ""
    alone = (
        f"; {plural(done.by_sign_alone, 'disagreement')} judged by the sign of change alone (no id filter in the"
        " spec, or its answers did not hold just the asked items)"
        if done.by_sign_alone
        else ""
    )
    return f"the data was seen to move in {done.moved} of {plural(done.windows, 'window')} asked again{gone}{alone}"


def unsettled(outcome: Outcome) -> str:
    """The count of comparisons left unsettled, zero included, of all comparisons between answers, with the
    checks they came from."""
    total, settled = sum(outcome.unsettled.values()), sum(outcome.settled.values())
    by_check = ", ".join(f"{name} {count}" for name, count in sorted(outcome.unsettled.items()) if count)
    of = f"{total} of {plural(total + settled, 'comparison')}"
    line = f"unsettled: {of} ({UNSETTLED}; not failures)" + (f": {by_check}" if by_check else "")
    return line + (f"; {moving(outcome)}" if outcome.confirming.windows else "")


def stopped(outcome: Outcome) -> list[str]:
    """Why the run ended early, and the areas it did not reach; nothing when it ran to the end."""
    if outcome.stopped is None:
        return []
    lines = [f"stopped early: {outcome.stopped}; the checks judged only what is counted above"]
    missed = [area.name for area in outcome.areas if not area.reached and area.planned]
    if missed:
        lines.append(f"  areas not reached: {', '.join(missed)}")
    return lines


def seed(outcome: Outcome) -> str:
    """The seed, or that the run was derandomized (the same requests every run)."""
    return str(outcome.seed) if outcome.seed is not None else "none (derandomized: the same requests every run)"


def kit_version() -> str:
    try:
        return metadata.version("customers-api-kit")
    except metadata.PackageNotFoundError:
        return "unknown"
