"""A write request: any method, a JSON body of the declared type, the key sent; no answer is ``Unreachable``."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.sending.writer import Writer
from customers_spec.datafile import Dataset
from customers_spec.errors import Unreachable
from selftest.servers import free_port
from selftest.write_faults import serving
from tests.mockserver.conftest import AUTH


def test_a_body_is_sent_as_its_type_with_the_key(dataset: Dataset, tmp_path: Path) -> None:
    some = dataset.customers[0]["_id"]
    with serving(None, dataset, tmp_path / "state.sqlite") as url:
        writer = Writer(url + "/", AUTH)
        patched = writer.send("patch", f"/v2/customers/{some}", {"name": "X"}, "application/merge-patch+json")
        assert patched.status == 200 and patched.json["name"] == "X"
        assert writer.send("patch", f"/v2/customers/{some}", {"name": "X"}).status == 415  # the declared type only
        assert Writer(url, {}).send("delete", f"/v2/customers/{some}").status == 401


def test_no_answer_is_unreachable() -> None:
    with pytest.raises(Unreachable, match="no answer"):
        Writer(f"http://127.0.0.1:{free_port()}", AUTH, timeout=2).send("post", "/v2/customers", {})
