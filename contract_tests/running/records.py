"""What a run is given and what it found: its options, each distinct failure, and the outcome."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from contract_tests.generation.cases import Credentials
from contract_tests.generation.coverage import AreaRun
from contract_tests.judging.budget import Confirming
from contract_tests.judging.failures import ContractViolation
from contract_tests.running.profiles import DEFAULT_PROFILE
from contract_tests.sending.pacing import Traffic

MIN_UNSETTLED = 5  # unsettled comparisons below this never make a run "could not judge"


@dataclass(frozen=True)
class Options:
    """How much to generate and how: every field has a default, so callers name only what they change."""

    max_examples: int = 100
    seed: int | None = None
    profile: str = DEFAULT_PROFILE
    shrink: bool = True  # False: no minimizing; every example runs and each check's first failure is kept as found
    workers: int = 1  # examples sent concurrently; generation and shrinking stay serial
    max_time: float | None = None  # seconds; the run stops starting examples after it
    max_failures: int | None = None  # the run stops sending examples once this many distinct violations are found
    shrink_examples: int | None = None  # minimizing's budget of examples in all (None: ``max_examples``)
    shrink_seconds: float | None = None  # minimizing's time limit (None: as long as exploring took, see minimizing)


@dataclass(frozen=True)
class Failure:
    """One distinct violation with the (shrunk) request that shows it."""

    check: str
    violation: ContractViolation
    url: str
    credentials: Credentials
    headers: tuple[tuple[str, str], ...] = ()  # the request's other headers as reports show them (secrets masked)
    operation: str = ""  # the operation whose check found it, as reports name it (``Operation.label``)


@dataclass
class Minimizing:
    """What minimizing the failures cost (examples, HTTP requests, seconds) and the limits that cut it short."""

    failures: int = 0  # distinct failures it started from, summed over the areas that found them
    examples: int = 0
    requests: int = 0
    seconds: float = 0.0
    limits: list[str] = field(default_factory=list)  # the budgets it reached, e.g. "20 examples per failure"


@dataclass
class Outcome:
    """What a run found: per-check counts, distinct failures, what it covered and why it stopped early if it did."""

    checks: tuple[str, ...] = ()
    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    examples: int = 0
    error: str | None = None
    stopped: str | None = None  # the run ended early (--max-time, --max-failures) before every example ran
    areas: list[AreaRun] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # what could not be generated (coverage.data_gaps, area_gaps)
    traffic: Traffic = field(default_factory=Traffic)
    seconds: float = 0.0
    # per check: disagreements between answers that did not reproduce when asked again (the data changed between
    # the requests); never failures (issue 17)
    unsettled: Counter[str] = field(default_factory=Counter)
    # requests sent per combination of parameter kinds (coverage.combination), where filters meet (issue 17)
    combined: Counter[str] = field(default_factory=Counter)
    minimizing: Minimizing = field(default_factory=Minimizing)
    seed: int | None = None  # the seed every area's Hypothesis test ran with (None: the ci profile's derandomized)
    started_at: str = ""  # when the run started, ISO 8601 in UTC
    spec_version: str = ""  # the spec's info.version
    command: str = ""  # the command line that repeats the run, secrets masked (set by the CLI or the plugin)
    unit: str = "example"  # what ``examples`` counts: examples the kit sent, or requests the proxy watched
    # per check that compares answers: comparisons that settled (passed, or failed again when asked again)
    settled: Counter[str] = field(default_factory=Counter)
    confirming: Confirming = field(default_factory=Confirming)  # windows asked, the data seen moving, the budget
    operation: str = ""  # the operation this outcome judged (``Operation.label``); "" for a run of several
    # a run of several operations: one outcome per operation, in the spec's order (this one sums them)
    per_operation: list[Outcome] = field(default_factory=list)

    @property
    def sections(self) -> list[Outcome]:
        """The outcomes reports show a table for: one per operation."""
        return self.per_operation or [self]

    @property
    def could_not_judge(self) -> bool:
        """The data moved so fast that most comparisons between answers stayed unsettled, or that some (a few
        do not count) were never asked again on still data in all their windows, or that confirming spent its
        budget and left disagreements unasked: a fault among them would not have been told from a write."""
        unsettled, done = sum(self.unsettled.values()), self.confirming
        most = unsettled >= MIN_UNSETTLED and unsettled > sum(self.settled.values())
        return done.unasked > 0 or done.undecided >= MIN_UNSETTLED or most

    @property
    def exit_code(self) -> int:
        """0: conforms (also when stopped on time); 1: violations found (each reproduced); 2: could not test,
        or could not judge (most comparisons unsettled, or confirming out of time) and no violation found."""
        if self.error is not None:
            return 2
        if self.failures:
            return 1
        return 2 if self.could_not_judge else 0
