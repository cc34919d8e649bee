"""The registry: a decorated function becomes a named check; a name is taken once."""

from __future__ import annotations

import pytest

from contract_tests.generation.cases import KINDS, Case
from contract_tests.judging.context import Context
from contract_tests.judging.registry import CHECKS, NOT_JUDGED, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.errors import KitError

pytestmark = pytest.mark.usefixtures("registry_restored")


def test_a_decorated_function_is_registered_under_its_name() -> None:
    @check(kinds=["valid"], needs_page=True, follow_ups=True)
    def answered_in_time(ctx: Context, case: Case, response: Response) -> Verdict | None:
        """Answers come quickly.

        More words that the listing leaves out.
        """
        return NOT_JUDGED

    registered = CHECKS["answered_in_time"]
    assert registered.run is answered_in_time and registered.kinds == frozenset({"valid"})
    assert registered.needs_page and registered.follow_ups and registered.description == "Answers come quickly."
    assert NOT_JUDGED is Verdict.NOT_JUDGED


def test_defaults_judge_every_kind_and_a_check_without_a_docstring_has_no_description() -> None:
    @check()
    def silent_rule(ctx: Context, case: Case, response: Response) -> None:
        return None

    assert CHECKS["silent_rule"].kinds == frozenset(KINDS) and CHECKS["silent_rule"].description == ""
    assert not CHECKS["silent_rule"].needs_page and not CHECKS["silent_rule"].follow_ups


def test_a_name_taken_in_another_module_is_refused() -> None:
    assert CHECKS["sort_order"].run.__module__ == "contract_tests.judging.checks.meaning"

    def sort_order(ctx: Context, case: Case, response: Response) -> None:
        return None

    with pytest.raises(KitError, match=r"two checks are named sort_order: in contract_tests\.judging\.checks\.meaning"):
        check()(sort_order)
    check()(CHECKS["sort_order"].run)  # the same module registering again (imported anew) is no clash
