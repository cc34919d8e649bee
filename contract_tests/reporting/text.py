"""The report a person reads in a terminal or a CI log: each failure with the curl that reproduces it, the table
of checks, what the run covered, the seed and the command that repeats it, and a one-line verdict."""

from __future__ import annotations

from contract_tests.generation.coverage import combinations_line
from contract_tests.reporting import summary
from contract_tests.reporting.curl import curl
from contract_tests.reporting.redaction import Secret, redact
from contract_tests.running.records import Failure, Outcome


def describe(failure: Failure, header: str) -> str:
    """One failure: the check and what it judges, what was expected and what came, where, and how to reproduce it."""
    violation = failure.violation
    lines = [f"{failure.check}: {violation.summary}"]
    if failure.operation:
        lines.append(f"  operation: {failure.operation}")
    what = summary.description(failure.check)
    if what:
        lines.append(f"  check:    {what}")
    lines += [f"  expected: {violation.expected}", f"  got:      {violation.actual}"]
    if violation.path:
        lines.append(f"  at:       {violation.path}")
    lines.append(f"  reproduce: {curl(failure.url, failure.credentials, header, failure.headers)}")
    lines.extend(
        f"  disagrees: {curl(url, failure.credentials, header, failure.headers)}" for url in violation.requests
    )
    return "\n".join(lines)


def summary_tables(outcome: Outcome) -> str:
    """One table per operation, each under the operation's name (``operation: listCustomers (GET …)``)."""
    return "\n\n".join(
        f"operation: {part.operation}\n{summary_table(part)}" if part.operation else summary_table(part)
        for part in outcome.sections
    )


def summary_table(outcome: Outcome) -> str:
    """Check name, how many requests it passed or failed, and its result; failing checks first."""
    rows = summary.check_rows(outcome)
    width = max([len(row.name) for row in rows] + [len("check")])
    lines = [f"{'check':<{width}}  {'passed':>7}  {'failed':>7}  {'unsettled':>9}  result", "-" * (width + 38)]
    for row in rows:
        result = "FAILED" if row.result == "failed" else row.result
        lines.append(f"{row.name:<{width}}  {row.passed:>7}  {row.failed:>7}  {row.unsettled:>9}  {result}")
    return "\n".join(lines)


def coverage(outcome: Outcome) -> str:
    """What the run covered: examples, areas, traffic, retries, minimizing, unsettled comparisons, gaps."""
    traffic = outcome.traffic
    lines = [summary.covered(outcome)]
    if traffic.retries:
        lines.append(
            f"retried: {summary.plural(traffic.retries, 'request')} after 429/503 with Retry-After"
            f" ({traffic.waited_s:.1f} s)"
        )
    minimizing = summary.minimizing(outcome)
    if minimizing is not None:
        lines.append(minimizing)
    lines.append(summary.unsettled(outcome))
    lines += summary.stopped(outcome)
    lines.extend(combinations_line(outcome.combined))
    if outcome.gaps:
        lines.append("not generated (so not judged):")
        lines.extend(f"  - {gap}" for gap in outcome.gaps)
    return "\n".join(lines)


def repeat(outcome: Outcome) -> str:
    """The seed, and the command that repeats the run when the caller knows it."""
    line = f"seed: {summary.seed(outcome)}"
    return line + (f"\nrepeat: {outcome.command}" if outcome.command else "")


def text_report(outcome: Outcome, header: str, secret: Secret = None) -> str:
    """The whole report a person reads: failures first, then the table, what was covered, how to repeat the
    run, a one-line verdict."""
    parts = [f"FAILED {describe(failure, header)}" for failure in outcome.failures]
    parts += [summary_tables(outcome), coverage(outcome), repeat(outcome), summary.verdict(outcome)]
    return redact("\n\n".join(parts), secret)
