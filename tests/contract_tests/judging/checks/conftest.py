"""The checks are called directly here: a context on the mock in-process, and answers made to break one rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.judging.context import Context


@pytest.fixture
def ctx(mock_app: Callable[..., Any], in_process: Callable[..., Context]) -> Context:
    return in_process(mock_app())
