"""A run over every operation: the checks each kind gets, the selection, the limits shared, the outcomes summed."""

from __future__ import annotations

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import ROLES, check
from contract_tests.judging.selection import select_checks
from contract_tests.running.operations import combined, plan, run_api
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.sending.transport import Response
from customers_spec import Api


def test_each_operation_gets_the_checks_of_its_kind(example: tuple[Api, Context]) -> None:
    api, _ = example
    checks = {each.operation.operation_id: {check.name for check in each.checks} for each in plan(api, select_checks())}
    assert {"item_is_listed", "unknown_id_not_found", "response_schema"} <= checks["getCustomer"]
    assert "sort_order" not in checks["getCustomer"] and "item_is_listed" not in checks["listObjects"]
    assert {"items_belong_to_parent", "pages_tile"} <= checks["listCustomerObjects"]
    assert "items_belong_to_parent" not in checks["listCustomers"]


def test_only_the_selected_operations_are_run_each_named(example: tuple[Api, Context]) -> None:
    api, first = example
    chosen = api.selected(["getCustomer"]).operations
    options = Options(max_examples=5, profile=CI_PROFILE, shrink=False)
    outcome = run_api(api, first, select_checks(["item_is_listed", "response_schema"]), options, operations=chosen)
    assert outcome.operation == "getCustomer (GET /v2/customers/{customerId})" and outcome.sections == [outcome]
    assert outcome.passed["item_is_listed"] == 5 and outcome.exit_code == 0


def test_a_run_stops_at_its_failure_limit_across_operations(
    example: tuple[Api, Context], registry_restored: None
) -> None:
    @check(kinds=["valid"], on=ROLES)
    def always_wrong(ctx: Context, case: Case, response: Response) -> None:
        """Fails on every request."""
        raise ContractViolation("nothing", "something")

    api, first = example
    options = Options(max_examples=5, profile=CI_PROFILE, shrink=False, max_failures=1, max_time=60)
    outcome = run_api(api, first, select_checks(["always_wrong"]), options)
    assert len(outcome.sections) == 4 and len(outcome.failures) == 1
    assert outcome.failures[0].operation == outcome.sections[0].operation
    assert all(part.stopped is not None for part in outcome.sections[1:]), "the limit holds for the whole run"


def test_outcomes_are_summed_and_kept_per_operation() -> None:
    first = Outcome(checks=("a", "b"), operation="one", examples=2, gaps=["g"])
    first.passed.update({"a": 2})
    second = Outcome(checks=("b", "c"), operation="two", examples=3, error="down")
    second.passed.update({"b": 1})
    total = combined([first, second])
    assert total.checks == ("a", "b", "c") and total.examples == 5 and total.passed == {"a": 2, "b": 1}
    assert total.per_operation == [first, second] and total.gaps == ["one: g"] and total.error == "two: down"
    assert combined([first]) is first
