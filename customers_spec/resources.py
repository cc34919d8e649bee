"""Where the shipped spec and default dataset live, in an installed wheel or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parents[1]


def _locate(bundled: str, checkout: str) -> Path:
    """Prefer the copy bundled into the wheel; fall back to the checkout, where it is the source of truth."""
    packaged = Path(str(resources.files("customers_spec").joinpath(bundled)))
    if packaged.is_file():
        return packaged
    return _CHECKOUT_ROOT / checkout


def spec_path() -> Path:
    """The OpenAPI document, ``openapi/customers.yaml``."""
    return _locate("bundled/customers.yaml", "openapi/customers.yaml")


def default_data_path() -> Path:
    """The default dataset, ``data/customers.json``."""
    return _locate("bundled/customers.json", "data/customers.json")
