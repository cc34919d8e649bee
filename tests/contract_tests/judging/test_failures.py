"""Violations: assertion errors that say what was expected, what came and where, each kind with its summary."""

from __future__ import annotations

import inspect

from contract_tests.judging import failures
from contract_tests.judging.failures import ContractViolation, LinkViolation, TotalsViolation


def test_a_violation_reads_as_one_sentence() -> None:
    violation = LinkViolation('rel="next" to offset 5', "offset 6", "Link")
    assert isinstance(violation, AssertionError)
    assert str(violation) == (
        'Link header does not lead to the neighbouring pages at Link: expected rel="next" to offset 5; got offset 6'
    )
    assert str(ContractViolation("a", "b")) == "the response breaks the contract: expected a; got b"


def test_what_the_runner_adds_stays_out_of_the_constructor() -> None:
    violation = TotalsViolation("3", "4", requests=("http://h/a", "http://h/b"))
    assert violation.requests == ("http://h/a", "http://h/b") and violation.check == "" and violation.case is None


def test_every_kind_of_violation_has_its_own_summary() -> None:
    kinds = [each for _, each in inspect.getmembers(failures, inspect.isclass) if issubclass(each, ContractViolation)]
    summaries = [kind.summary for kind in kinds if kind is not ContractViolation]
    assert len(summaries) == len(set(summaries)) > 15
