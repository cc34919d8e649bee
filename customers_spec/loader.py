"""One path for loading the spec: every source ends in ``api_from_dict``, which checks the document and parses
every operation once (``customers_spec.operations`` says what each one is); ``load_spec``/``from_dict`` give the
first list operation's ``Spec`` (the shipped document's GET /v2/customers), as they always have."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from customers_spec import resources
from customers_spec.api import Api
from customers_spec.errors import SpecError
from customers_spec.extensions import check_extensions
from customers_spec.model import Spec
from customers_spec.operations import declared_operations
from customers_spec.parsing import Reader, resolve
from customers_spec.writes import with_writes

__all__ = ["api_from_dict", "from_dict", "load_api", "load_spec", "resolve"]


def load_spec(source: str | Path | None = None) -> Spec:
    """The first list operation of a YAML/JSON file (by default the shipped ``openapi/customers.yaml``)."""
    return _first_list(load_api(source))


def load_api(source: str | Path | None = None) -> Api:
    """Every operation of a YAML/JSON file, by default the shipped ``openapi/customers.yaml`` (parsed once)."""
    path = Path(source) if source is not None else resources.spec_path()
    return _load_file(path.resolve())


@lru_cache(maxsize=4)
def _load_file(path: Path) -> Api:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        reason = str(exc).replace("\n", " ")
        raise SpecError(f"cannot read the spec {path}: {reason}") from exc
    return api_from_dict(document)


def from_dict(document: Any) -> Spec:
    """The first list operation of ``document`` (checked and parsed as ``api_from_dict`` does)."""
    return _first_list(api_from_dict(document))


def _first_list(api: Api) -> Spec:
    if not api.lists:
        raise SpecError(
            "the spec has no list operation: a GET whose 200 is an array of a component schema, paged by"
            " x-pagination or parameters named limit and offset"
        )
    return api.lists[0]


def api_from_dict(document: Any) -> Api:
    """Check that ``document`` is an OpenAPI 3.1 spec, check its extensions, and parse every operation."""
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise SpecError("the spec must be an OpenAPI 3.1 document")
    check_extensions(document)
    declared = list(declared_operations(document))
    for each in declared:
        if each.kind != "other":  # once in full, so that a $ref cycle is refused here, not met later
            resolve(document, each.operation)
    try:
        return with_writes(Reader(document, declared).api())
    except (KeyError, TypeError, ValueError) as exc:  # a gap the extension schema does not cover: a bug to fix
        raise SpecError(f"/paths: the spec's extensions are incomplete: {exc!r}") from exc
