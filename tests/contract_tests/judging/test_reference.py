"""The data the checks judge by, read from the server, and its cheap sign of change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tests.judging.context import Context
from contract_tests.judging.reference import first_page, read_reference, sign_of
from contract_tests.running.setup import loaded_context
from contract_tests.sending.transport import WsgiTransport
from customers_spec import Spec
from customers_spec.datafile import Dataset
from selftest.churn import churning_app
from selftest.kit_setup import API_KEY


def test_small_data_is_read_whole_with_its_sign(
    mock_app: Callable[..., Any], in_process: Callable[..., Context], dataset: Dataset
) -> None:
    ctx = in_process(mock_app())
    reference = read_reference(ctx, None)
    assert reference.everything is not None and len(reference.everything) == len(dataset.customers)
    assert reference.sign[0] == len(dataset.customers) and len(reference.sign[1]) == 16
    assert reference.sign == sign_of(ctx, first_page(ctx)), "the same data, the same sign"


def test_a_write_changes_the_sign(spec: Spec, dataset: Dataset) -> None:
    app = churning_app(dataset, rate=0, seed=1, api_keys=frozenset({API_KEY}))
    ctx = loaded_context(spec, WsgiTransport(app, API_KEY, header=spec.api_key_header))
    before = sign_of(ctx, first_page(ctx))
    app.writer.write()
    assert sign_of(ctx, first_page(ctx)) != before
