"""Contract tests of GET /v2/customers: Hypothesis-generated requests checked for shape and meaning.

What a team needs to write its own checks is importable from here, and stays here whatever moves inside:
``check`` (the decorator that registers one), ``NOT_JUDGED`` and ``Verdict`` (what a check returns when the
request gave it nothing to judge), ``Case`` (the request), ``Context`` (the run: spec, data sample, follow-up
requests), ``Response`` (the answer) and ``ContractViolation`` (what a check raises). See
``examples/team_checks.py``.

Nothing inside the kit imports from this module: its sub-packages import one another directly.
"""

from __future__ import annotations

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response

__all__ = ["NOT_JUDGED", "Case", "Context", "ContractViolation", "Response", "Verdict", "check"]
