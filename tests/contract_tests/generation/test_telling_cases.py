"""The telling values area's requests: one filter per telling draw, in the first parameter whose clause it tells
for, and one sort per sort telling, on the sortable path the sample shows it best."""

from __future__ import annotations

from contract_tests.generation.sample import sample_from
from contract_tests.generation.telling import BY_NAME
from contract_tests.generation.telling_cases import SORT_BY_NAME, telling_filters, telling_sort, telling_sorts
from customers_spec import Spec
from customers_spec.datafile import Dataset
from customers_spec.terms import Condition
from customers_spec.values import get_path


def test_each_telling_draw_is_sent_once_in_a_filter_that_reads_its_type_and_operator(
    spec: Spec, dataset: Dataset
) -> None:
    sample = sample_from(spec, dataset.customers)
    filters = telling_filters(spec, sample)
    assert 10 <= len(filters) <= len(BY_NAME)
    for written in filters:
        condition: Condition = written.condition
        assert condition.terms, written.pairs
        assert any(telling.applies(term.clause) for term in condition.terms for telling in BY_NAME.values())
    plain = {written.condition.parameter for written in filters} - {"generalField"}
    assert plain, "a plain parameter comes first where it reads the clause"


def test_a_sort_telling_picks_the_sortable_path_that_shows_it_and_none_where_none_does(
    spec: Spec, dataset: Dataset
) -> None:
    sample = sample_from(spec, dataset.customers)
    missing = telling_sort(spec, sample, SORT_BY_NAME["sort_on_missing"])
    assert missing is not None and not missing[0].descending
    assert any(get_path(record, missing[0].path) is None for record in sample.records)
    assert len(telling_sorts(spec, sample)) == len(set(telling_sorts(spec, sample)))
    empty = sample_from(spec, [{"_id": "a" * 24, "number": 1}])
    assert telling_sort(spec, empty, SORT_BY_NAME["sort_on_mixed_case"]) is None
