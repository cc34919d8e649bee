"""Values that exist in the data under test, so generated filters match something and not only ``[]``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from customers_spec.model import Spec
from customers_spec.values import get_path

MAX_VALUES_PER_PATH = 200


@dataclass(frozen=True)
class Sample:
    """Distinct values seen per filterable path, and per related path (``objects.objectManagerId``).

    Values are kept in a stable order (sorted by their text) so that a seeded run generates the same
    requests again. ``related`` comes from a dataset file, since a client never sees the related records.
    ``records`` are the items read (a page of at most the largest limit): the witnesses that judge, with a
    few follow-up requests, what a filter must include at any data size.
    """

    values: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    total: int = 0
    records: tuple[dict[str, Any], ...] = ()
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)  # checks' per-record results

    def of(self, path: str) -> tuple[Any, ...]:
        return self.values.get(path, ())

    def of_related(self, collection: str, path: str) -> tuple[str, ...]:
        return self.related.get(f"{collection}.{path}", ())


def sample_from(
    spec: Spec,
    items: Sequence[dict[str, Any]],
    *,
    total: int | None = None,
    related: Mapping[str, Sequence[dict[str, Any]]] | None = None,
) -> Sample:
    """The sample of ``items`` (a page of real data) and of related records such as a dataset's objects."""
    values = {path: _distinct(get_path(item, path) for item in items) for path in spec.field_types}
    relation_paths = _relation_paths(spec)
    hints: dict[str, tuple[str, ...]] = {}
    for collection, records in (related or {}).items():
        for path in relation_paths.get(collection, ()):
            hints[f"{collection}.{path}"] = _distinct(get_path(record, path) for record in records)
    return Sample(
        values={path: found for path, found in values.items() if found},
        related=hints,
        total=len(items) if total is None else total,
        records=tuple(items),
    )


def _distinct(found: Iterable[Any]) -> tuple[Any, ...]:
    unique = {repr(value): value for value in found if value is not None and not isinstance(value, dict | list)}
    ordered = [unique[key] for key in sorted(unique)]
    step = max(1, len(ordered) // MAX_VALUES_PER_PATH)
    return tuple(ordered[::step][:MAX_VALUES_PER_PATH])


def _relation_paths(spec: Spec) -> dict[str, set[str]]:
    """The paths of related collections that relation filters match on, e.g. ``objects``: {``_id``}."""
    paths: dict[str, set[str]] = {}
    for rule in spec.filters.values():
        for clause in rule.clauses:
            if clause.via is not None:
                paths.setdefault(clause.via.collection, set()).add(clause.via.match)
    return paths
