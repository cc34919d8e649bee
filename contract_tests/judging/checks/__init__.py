"""The kit's built-in checks, registered on import into ``contract_tests.judging.registry.CHECKS``.

Each module holds the checks of one concern (shape, inputs, meaning, paging, relations, totals, witnesses);
``variants`` and ``signatures`` build the follow-up requests and choose the witnesses they use.
"""

from __future__ import annotations

from contract_tests.judging.checks import (
    combined,
    described,
    inputs,
    meaning,
    paging,
    relations,
    shape,
    totals,
    witnesses,
)

__all__ = ["combined", "described", "inputs", "meaning", "paging", "relations", "shape", "totals", "witnesses"]
