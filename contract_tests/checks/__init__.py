"""Every check of the kit, registered on import into ``contract_tests.registry.CHECKS``."""

from __future__ import annotations

from contract_tests.checks import inputs, meaning, paging, relations, shape, totals, witnesses
from contract_tests.registry import CHECKS

__all__ = ["CHECKS", "inputs", "meaning", "paging", "relations", "shape", "totals", "witnesses"]
