"""The public team-check API: what a team's checks import from ``contract_tests``, the same objects the kit uses."""

from __future__ import annotations

import subprocess
import sys

import contract_tests
from contract_tests.generation.cases import Case
from contract_tests.judging import registry
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import CHECKS, NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response


def test_a_team_needs_only_the_package() -> None:
    assert sorted(contract_tests.__all__) == sorted(
        ["NOT_JUDGED", "Case", "Context", "ContractViolation", "Response", "Verdict", "check"]
    )
    exported = [getattr(contract_tests, name) for name in ("Case", "Context", "ContractViolation", "Response")]
    assert exported == [Case, Context, ContractViolation, Response]
    assert (contract_tests.check, contract_tests.NOT_JUDGED, contract_tests.Verdict) == (check, NOT_JUDGED, Verdict)


def test_importing_the_package_registers_no_check_and_loads_no_profile() -> None:
    code = (  # Hypothesis itself loads its "ci" profile where CI is set: the kit's import changes nothing of it
        "from hypothesis import settings\n"
        "before = settings._current_profile\n"
        "import contract_tests, sys\n"
        "from contract_tests.judging.registry import CHECKS\n"
        "assert not CHECKS, CHECKS\n"
        "assert 'contract_tests.judging.checks' not in sys.modules\n"
        "assert settings._current_profile == before, (before, settings._current_profile)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert CHECKS is registry.CHECKS and check is registry.check
