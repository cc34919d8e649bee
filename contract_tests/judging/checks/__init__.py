"""The kit's built-in checks, registered on import into ``contract_tests.judging.registry.CHECKS``.

Each module holds the checks of one concern (shape, inputs, meaning, paging, relations, what only a
description states, filters together, totals, witnesses, an item by id, a sub-collection); ``variants`` and
``signatures`` build the follow-up requests and choose the witnesses they use. Modules register in the order
imported here, which is the order of every report's table.
"""

from __future__ import annotations

from contract_tests.judging.checks import (
    inputs,
    items,
    meaning,
    paging,
    relations,
    shape,
    stated,
    subcollections,
    together,
    totals,
    witnesses,
)

__all__ = [
    "inputs",
    "items",
    "meaning",
    "paging",
    "relations",
    "shape",
    "stated",
    "subcollections",
    "together",
    "totals",
    "witnesses",
]
