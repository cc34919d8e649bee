"""Setting up a run: URLs checked, the transport made polite, the related records of a dataset read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from contract_tests.running.setup import http_context, loaded_context, related_records
from contract_tests.sending.pacing import PoliteTransport
from contract_tests.sending.transport import WsgiTransport
from customers_spec import Spec
from customers_spec.datafile import Dataset, load_dataset
from customers_spec.errors import DataError, KitError
from tests.contract_tests.conftest import API_KEY


def test_urls_that_are_not_http_are_refused_before_anything_is_sent() -> None:
    with pytest.raises(KitError, match="--base-url must be an http:// or https:// URL"):
        http_context("localhost:3000", "k")
    with pytest.raises(KitError, match="--link-origin must be an http:// or https:// URL"):
        http_context("http://127.0.0.1:9", "k", link_origin="example.com")


def test_every_context_counts_its_requests(spec: Spec, mock_app: Callable[..., Any]) -> None:
    ctx = loaded_context(spec, WsgiTransport(mock_app(), API_KEY, header=spec.api_key_header))
    assert isinstance(ctx.transport, PoliteTransport) and ctx.transport.traffic.requests >= 1
    assert ctx.sample.total > 0


def test_the_related_collections_of_a_dataset_are_read(spec: Spec, dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(orjson.dumps({"customers": dataset.customers, "objects": dataset.objects}))
    assert related_records(spec, path) == {"objects": dataset.objects}
    path.write_bytes(orjson.dumps(dataset.customers))
    assert related_records(spec, path) == {"objects": []}, "an array of customers is a dataset without sites"


@pytest.mark.parametrize(
    "content",
    [b'{"customers": 3}', b'{"rows": []}', b'[{"_id": "x"}]', b'{"customers": [], "objects": ["not a record"]}', b"{"],
    ids=["customers not an array", "not a dataset", "invalid customer", "invalid site", "not JSON"],
)
def test_a_bad_dataset_is_rejected_as_the_mock_rejects_it(spec: Spec, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(content)
    with pytest.raises(DataError) as expected:
        load_dataset(path, spec)
    with pytest.raises(DataError) as got:
        related_records(spec, path)
    assert str(got.value) == str(expected.value) and str(got.value).startswith(f"{path}: ")
    with pytest.raises(DataError, match="cannot read"):
        related_records(spec, tmp_path / "missing.json")
