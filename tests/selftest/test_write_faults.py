"""The faulty mocks of the writes: each patched in only for its block, the correct one served without."""

from __future__ import annotations

from pathlib import Path

from contract_tests.sending.writer import Writer
from mockserver.data.generate import generate_dataset
from mockserver.http.live import Live
from selftest.write_faults import FAULTS, original_stores, serving
from tests.mockserver.conftest import AUTH


def test_a_fault_is_patched_in_for_its_block_only(tmp_path: Path) -> None:
    dataset = generate_dataset(10, 1)
    assert len(FAULTS) == 5
    with serving("create missing from filtered lists", dataset, tmp_path / "a.sqlite") as url:
        assert Live.stores is not original_stores
        assert Writer(url, AUTH).send("get", "/v2/customers?limit=1").status == 200
    assert Live.stores is original_stores
