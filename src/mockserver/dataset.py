"""The customers and their sites that the mock serves, loaded once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Dataset:
    """Customers (``Customer`` schema) and their sites (``CustomerObject`` schema), as plain JSON values."""

    customers: list[dict[str, Any]]
    objects: list[dict[str, Any]] = field(default_factory=list)
