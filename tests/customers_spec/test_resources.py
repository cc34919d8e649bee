"""The shipped spec and default data: the wheel's bundled copies first, the checkout's where there are none."""

from __future__ import annotations

from pathlib import Path

import pytest

from customers_spec import resources


def test_the_shipped_spec_and_data_are_found() -> None:
    assert resources.spec_path().is_file() and resources.spec_path().suffix == ".yaml"
    assert resources.default_data_path().is_file() and resources.default_data_path().suffix == ".json"


def test_the_bundled_copy_comes_first_and_the_checkout_is_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bundled").mkdir()
    (tmp_path / "bundled" / "customers.yaml").write_text("openapi: 3.1.0\n")
    monkeypatch.setattr(resources.resources, "files", lambda package: tmp_path)
    monkeypatch.setattr(resources, "_CHECKOUT_ROOT", tmp_path / "checkout")
    assert resources.spec_path() == tmp_path / "bundled" / "customers.yaml"
    assert resources.default_data_path() == tmp_path / "checkout" / "data" / "customers.json"  # none bundled
