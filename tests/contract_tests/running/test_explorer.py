"""An area's Hypothesis test: its examples drawn without sending, the same again for the same seed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import Phase
from hypothesis import strategies as st

from contract_tests.generation.cases import Case
from contract_tests.generation.coverage import AreaRun
from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.running.explorer import Explorer, case_key, hypothesis_settings
from contract_tests.running.pool import ExamplePool, traffic
from contract_tests.running.records import Options, Outcome

LIMITS = st.integers(1, 50).map(lambda limit: Case("valid", (("limit", str(limit)),)))


def _explorer(ctx: Context, planned: int, strategy: st.SearchStrategy[Case] = LIMITS) -> Explorer:
    pool = ExamplePool(ctx, select_checks(["page_size"]), Options(seed=7), Outcome(), None)
    return Explorer(pool, strategy, AreaRun("limits", planned))


def test_drawing_sends_nothing_and_repeats_for_a_seed(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    ctx = in_process(mock_app())
    sent = traffic(ctx).requests
    first, second = _explorer(ctx, 12), _explorer(ctx, 12)
    first.draw()
    second.draw()
    assert traffic(ctx).requests == sent, "drawing only collects"
    assert first.drawn == second.drawn and first.record.generated == len(first.drawn) > 1


def test_an_area_with_nothing_valid_to_send_is_marked(
    mock_app: Callable[..., Any], in_process: Callable[..., Context]
) -> None:
    explorer = _explorer(in_process(mock_app()), 5, LIMITS.filter(lambda case: False))
    explorer.draw()
    assert explorer.record.unsatisfiable and explorer.record.generated == 0


def test_cases_are_the_same_request_by_kind_query_and_culprit() -> None:
    assert case_key(Case("valid", (("limit", "1"),))) == ("valid", (("limit", "1"),), "")
    assert case_key(Case("invalid", invalid="x")) != case_key(Case("invalid", invalid="y"))


def test_shrinking_is_a_phase_only_when_asked_for() -> None:
    assert Phase.shrink in hypothesis_settings(Options()).phases
    quiet = hypothesis_settings(Options(shrink=False, max_examples=3))
    assert Phase.shrink not in quiet.phases and quiet.max_examples == 3 and quiet.database is None
