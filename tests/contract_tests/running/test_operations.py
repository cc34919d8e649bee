"""A run over every operation: the checks each kind gets, the selection, the limits shared, the outcomes summed."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context
from contract_tests.judging.failures import ContractViolation
from contract_tests.judging.registry import ROLES, check
from contract_tests.judging.selection import select_checks
from contract_tests.running.operations import combined, plan, run_api
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import Response, WsgiTransport
from customers_spec import Api, load_api
from customers_spec.datafile import Dataset
from customers_spec.errors import KitError
from tests.contract_tests.conftest import API_KEY


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
    assert len(outcome.sections) == len(api.operations) and len(outcome.failures) == 1
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


def test_an_operation_the_server_does_not_serve_fails_alone(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A staging that does not serve the sites yet: their list could not be tested; the rest is checked."""
    from mockserver.app import create_app
    from mockserver.config import Config
    from tests.conftest import EXAMPLE_SPEC

    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    app = create_app(Config(spec=EXAMPLE_SPEC, log_requests=False, api_keys=frozenset({API_KEY})), dataset=dataset)

    def without_sites(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/v2/objects":
            start_response("404 Not Found", [("Content-Type", "application/problem+json")])
            return [b'{"status": 404, "title": "Not Found"}']
        return app(environ, start_response)

    api = load_api(EXAMPLE_SPEC)
    first = loaded_context(api.lists[0], WsgiTransport(without_sites, API_KEY, header=api.api_key_header))
    options = Options(max_examples=5, profile=CI_PROFILE, shrink=False)
    outcome = run_api(api, first, select_checks(["response_schema", "items_belong_to_parent"]), options)
    by_name = {part.operation.split(" ")[0]: part for part in outcome.sections}
    assert by_name["listObjects"].error is not None and "404" in by_name["listObjects"].error
    assert (
        by_name["listCustomerObjects"].error is None and by_name["listCustomerObjects"].passed["items_belong_to_parent"]
    )
    assert any("compared with no list" in gap for gap in by_name["listCustomerObjects"].gaps)
    assert outcome.exit_code == 2 and outcome.error is not None and outcome.error.startswith("listObjects")


def test_checks_that_judge_none_of_the_operations_are_refused(example: tuple[Api, Context]) -> None:
    api, first = example
    with pytest.raises(KitError, match="no selected check judges any of the selected operations"):
        run_api(
            api,
            first,
            select_checks(["item_is_listed"]),
            Options(),
            operations=api.selected(["listObjects"]).operations,
        )


def test_relation_filters_are_asked_with_ids_read_from_the_related_list(example: tuple[Api, Context]) -> None:
    """The sites list gives the sites' ids and managers, so the customers' relation filters find customers
    without --data."""
    api, first = example
    assert first.related is None
    options = Options(max_examples=40, profile=CI_PROFILE, shrink=False)
    chosen = api.selected(["listCustomers"]).operations
    outcome = run_api(api, first, select_checks(["relation_union", "filters_hold"]), options, operations=chosen)
    assert first.related is not None and first.related["objects"], "the sites read from GET /v2/objects"
    assert not [gap for gap in outcome.gaps if "give --data" in gap], outcome.gaps
    assert outcome.exit_code == 0 and outcome.passed["relation_union"]


def test_a_spec_with_none_of_our_words_and_no_key_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The REST convention alone, no API key, no record: nothing is asked without a key, no header is sent."""
    from pathlib import Path

    from mockserver.app import create_app
    from mockserver.config import Config

    monkeypatch.delenv("MOCKSERVER_API_KEYS", raising=False)
    path = Path(__file__).parents[2] / "mockserver" / "plain_rest.yaml"
    api = load_api(path)
    assert api.api_key_header == ""
    app = create_app(Config(spec=path, log_requests=False))
    first = loaded_context(api.lists[0], WsgiTransport(app, "", header=api.api_key_header))
    outcome = run_api(api, first, select_checks(), Options(max_examples=10, profile=CI_PROFILE, shrink=False))
    assert outcome.error is None and outcome.examples > 0
    assert outcome.passed["auth_enforced"] == 0 and outcome.failed["auth_enforced"] == 0, "no request without a key"
    assert outcome.passed["unknown_id_not_found"], "the item by an unknown id: a 404 problem"
    assert any("not sent: the kit sends only GET" in gap for gap in outcome.gaps)
