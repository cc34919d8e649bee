"""The report a person reads in a terminal or a CI log: each failure with the curl that reproduces it, the table
of checks, what the run covered, and a one-line verdict."""

from __future__ import annotations

from contract_tests.reporting.curl import curl
from contract_tests.reporting.redaction import redact
from contract_tests.running.records import Failure, Outcome


def describe(failure: Failure, header: str) -> str:
    """One failure: the check, what was expected and what came, where, and how to reproduce it."""
    violation = failure.violation
    lines = [
        f"{failure.check}: {violation.summary}",
        f"  expected: {violation.expected}",
        f"  got:      {violation.actual}",
    ]
    if violation.path:
        lines.append(f"  at:       {violation.path}")
    lines.append(f"  reproduce: {curl(failure.url, failure.credentials, header)}")
    lines.extend(f"  disagrees: {curl(url, failure.credentials, header)}" for url in violation.requests)
    return "\n".join(lines)


def summary_table(outcome: Outcome) -> str:
    """Check name, how many requests it judged and passed or failed, and whether it found a distinct failure."""
    failing = {failure.check for failure in outcome.failures}
    width = max([len(name) for name in outcome.checks] + [len("check")])
    rows = [f"{'check':<{width}}  {'passed':>7}  {'failed':>7}  result", "-" * (width + 26)]
    for name in outcome.checks:
        result = "FAILED" if name in failing else "ok" if outcome.passed[name] else "nothing judged"
        rows.append(f"{name:<{width}}  {outcome.passed[name]:>7}  {outcome.failed[name]:>7}  {result}")
    return "\n".join(rows)


def coverage(outcome: Outcome) -> str:
    """What the run covered: examples, areas reached, HTTP traffic and speed, retries, gaps, and a stop on time."""
    traffic = outcome.traffic
    reached = [area for area in outcome.areas if area.reached]
    per_example = traffic.requests / outcome.examples if outcome.examples else 0.0
    rate = outcome.examples / outcome.seconds if outcome.seconds else 0.0
    lines = [
        f"covered: {outcome.examples} examples in {len(reached)} of {len(outcome.areas)} areas,"
        f" {traffic.requests} HTTP requests ({per_example:.1f} per example), {outcome.seconds:.1f} s"
        f" ({rate:.1f} examples/s)"
    ]
    if outcome.unsettled:
        lines.append(unsettled_line(outcome))
    if traffic.retries:
        lines.append(f"retried: {traffic.retries} request(s) after 429/503 with Retry-After ({traffic.waited_s:.1f} s)")
    if outcome.stopped is not None:
        missed = [area.name for area in outcome.areas if not area.reached and area.planned]
        lines.append(f"stopped early: {outcome.stopped}; the checks judged only what is counted above")
        if missed:
            lines.append(f"  areas not reached: {', '.join(missed)}")
    if outcome.gaps:
        lines.append("not generated (so not judged):")
        lines.extend(f"  - {gap}" for gap in outcome.gaps)
    return "\n".join(lines)


def text_report(outcome: Outcome, header: str, secret: str | None = None) -> str:
    """The whole report a person reads: failures first, then the table, what was covered, a one-line verdict."""
    parts = [f"FAILED {describe(failure, header)}" for failure in outcome.failures]
    parts.append(summary_table(outcome))
    parts.append(coverage(outcome))
    parts.append(verdict(outcome))
    return redact("\n\n".join(parts), secret)


def unsettled_line(outcome: Outcome) -> str:
    """The comparisons that did not reproduce when asked again, per check: the data moved, nothing was judged."""
    count, settled = sum(outcome.unsettled.values()), sum(outcome.settled.values())
    checks = ", ".join(f"{name} {number}" for name, number in sorted(outcome.unsettled.items()))
    noun = "comparison" if count + settled == 1 else "comparisons"
    return f"unsettled: {count} of {count + settled} {noun} (the data changed during the check; not failures): {checks}"


def verdict(outcome: Outcome) -> str:
    if outcome.error is not None:
        return f"COULD NOT TEST: {outcome.error}"
    if outcome.exit_code == 2:
        unsettled, settled = sum(outcome.unsettled.values()), sum(outcome.settled.values())
        return (
            f"COULD NOT JUDGE: {unsettled} of {unsettled + settled} comparisons between answers stayed unsettled"
            f" (the data changed during the check) in {outcome.examples} requests"
        )
    early = " (stopped early)" if outcome.stopped is not None else ""
    if outcome.failures:
        return f"{len(outcome.failures)} contract violation(s) in {outcome.examples} requests{early}"
    return f"conforms: {outcome.examples} requests, no violations{early}"
