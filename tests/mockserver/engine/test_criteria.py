"""What a request asks the store for: frozen values, so that equal requests share cached results."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from customers_spec import Spec
from customers_spec.terms import filter_condition
from mockserver.engine.criteria import Criteria, Page


def test_equal_criteria_are_equal_and_hash_alike(spec: Spec) -> None:
    def asked() -> Criteria:
        return Criteria((filter_condition(spec.filters["name"], "glanz"),), spec.sort.default, 10, 20)

    assert asked() == asked() and hash(asked()) == hash(asked())
    assert asked() != Criteria((), spec.sort.default, 10, 20)
    with pytest.raises(FrozenInstanceError):
        asked().limit = 5  # type: ignore[misc]


def test_a_page_is_frozen_too() -> None:
    page = Page(total=3, count=1, body=b"[{}]")
    assert page == Page(3, 1, b"[{}]")
    with pytest.raises(FrozenInstanceError):
        page.total = 4  # type: ignore[misc]
