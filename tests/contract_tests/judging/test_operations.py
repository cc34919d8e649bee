"""A context for an operation whose path has parameters, judged by its list's data when it is an item."""

from __future__ import annotations

from dataclasses import replace

from contract_tests.judging.context import Context
from contract_tests.judging.operations import OperationContext, Subject, subject_of
from customers_spec import Api


def _item_context(api: Api, first: Context, **bound: str) -> OperationContext:
    item = api.items[0]
    spec = first.spec
    return OperationContext(
        replace(spec, path=item.operation.path),
        first.transport,
        subject=Subject(item.operation, frozenset({"item"}), item=item),
        bound=bound,
        lister=first,
    )


def test_the_path_is_filled_from_the_bound_values_then_the_query(example: tuple[Api, Context]) -> None:
    api, first = example
    ctx = _item_context(api, first, customerId="abc")
    base = first.transport.base_url
    assert ctx.url(()) == f"{base}/v2/customers/abc"
    assert ctx.url((("customerId", "a/b"), ("x", "1"))) == f"{base}/v2/customers/a%2Fb?x=1", "the query's wins"
    assert "%7BcustomerId%7D" in _item_context(api, first).url(()), "an unfilled parameter stays visible"


def test_an_item_judges_by_its_lists_data_and_sign(example: tuple[Api, Context]) -> None:
    api, first = example
    ctx = _item_context(api, first)
    assert ctx.everything is first.everything and ctx.sample is first.sample
    assert ctx.sign_now().url == first.sign_now().url
    assert subject_of(ctx) is ctx.subject and subject_of(first) is None
