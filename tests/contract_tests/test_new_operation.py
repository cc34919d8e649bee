"""A list operation a team adds in the spec alone, with a filter no operation had: the kit checks it, no code.

The mock side is ``tests/mockserver/test_spec_choice.py`` (the same spec copy): here the kit, pointed at that
spec, finds the new operation, draws its new filter, and judges the mock serving it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from contract_tests.judging.selection import select_checks
from contract_tests.reporting.text import text_report
from contract_tests.running.operations import run_api
from contract_tests.running.profiles import CI_PROFILE
from contract_tests.running.records import Options, Outcome
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import load_api
from customers_spec.datafile import Dataset
from mockserver.app import create_app
from mockserver.config import Config
from tests.contract_tests.conftest import API_KEY
from tests.mockserver.test_spec_choice import with_new_list_operation


def documented(path: Path) -> Path:
    """The copy with the errors the mock answers documented too (400, 401), as a team documents them."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    responses = document["paths"]["/v2/sites-by-zip"]["get"]["responses"]
    responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    responses["401"] = {"$ref": "#/components/responses/Unauthorized"}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_the_kit_finds_what_the_spec_copy_leaves_undocumented(tmp_path: Path, dataset: Dataset) -> None:
    """As the team wrote it, the operation documents only its 200: the mock's 400 and 401 are reported."""
    outcome = _checked(with_new_list_operation(tmp_path), dataset, ["status_code_documented"], examples=10)
    assert {failure.check for failure in outcome.failures} == {"status_code_documented"}


def _checked(
    path: Path, dataset: Dataset, checks: list[str] | None, *, examples: int, sent: list[str] | None = None
) -> Outcome:
    api = load_api(path)
    app = create_app(Config(spec=path, log_requests=False, api_keys=frozenset({API_KEY})), dataset=dataset)

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        if sent is not None:
            sent.append(environ.get("QUERY_STRING", ""))
        return app(environ, start_response)

    first = loaded_context(api.lists[0], WsgiTransport(recording, API_KEY, header=api.api_key_header))
    chosen = api.selected(["listSitesByZip"]).operations
    options = Options(max_examples=examples, profile=CI_PROFILE, shrink=False)
    return run_api(api, first, select_checks(checks), options, operations=chosen)


def test_the_kit_checks_a_list_operation_added_to_the_spec(tmp_path: Path, dataset: Dataset) -> None:
    path = documented(with_new_list_operation(tmp_path))
    sent: list[str] = []
    outcome = _checked(path, dataset, None, examples=40, sent=sent)
    report = text_report(outcome, "x-API-Key")
    assert outcome.exit_code == 0, report
    assert outcome.operation == "listSitesByZip (GET /v2/sites-by-zip)"
    assert outcome.passed["filters_hold"] and outcome.passed["filters_complete"] and outcome.passed["pages_tile"]
    assert any(query.startswith("zipPrefix=") or "&zipPrefix=" in query for query in sent), "the new filter drawn"
    assert any("has no filter selecting items by their id" in gap for gap in outcome.gaps), report
