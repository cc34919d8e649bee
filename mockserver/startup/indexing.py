"""The finished index merged from the chunks' summaries, each piece a task of its own, in parallel where it pays.

The tie-breaker's column is merged first: it sets the positions (records stably sorted by it, missing values
lowest). Every other piece (a column, a relation's owners and matches, the combined text index of the fields one
filter searches together) is then merged by a worker process (``mockserver.startup.parallel``) from the chunks
it is handed, and the pieces become the engine's ``CollectionIndex``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from customers_spec.datafile import Dataset
from customers_spec.model import FieldType, Spec
from mockserver.engine.columns import Column, Positions, Ranked, combined_texts, folded_by_position, joined_texts
from mockserver.engine.index import COMBINABLE, CollectionIndex, RelationIndex, RelationKey, relation_key
from mockserver.engine.packed import PackedStrings
from mockserver.engine.textindex import TextIndex
from mockserver.startup.chunks import IndexParts, merge_ranked, owners_by_rank
from mockserver.startup.parallel import HERE, Workers

TEXT_OPERATORS_INDEXED = frozenset({"contains", "startsWith", "endsWith"})

Piece = tuple[
    str, Any
]  # what a task builds: ("column", path), ("owners", link), ("matches", match), ("combined", paths)


@dataclass
class _Needed:
    """What the spec's filters need besides a column per path, each key once, in the spec's order."""

    searched: set[str] = field(default_factory=set)  # paths a text operator searches: indexed before the fork
    links: dict[tuple[str, str, str], None] = field(default_factory=dict)  # (path, collection, select)
    matched: dict[tuple[str, str, FieldType], None] = field(default_factory=dict)  # (collection, match, type)
    combined: dict[frozenset[str], None] = field(default_factory=dict)  # fields one needle is sought in together


def index_of_dataset(spec: Spec, dataset: Dataset) -> CollectionIndex:
    """The index of an in-memory dataset, built in this process."""
    parts = IndexParts(spec)
    parts.add_dataset(dataset)
    return assemble_index(parts)[0]


def assemble_index(parts: IndexParts, workers: Workers = HERE) -> tuple[CollectionIndex, npt.NDArray[np.int64]]:
    """The index of the chunks gathered in ``parts`` (which it empties), and per position the customer's place
    among them (in the order the chunks were added)."""
    spec = parts.spec
    tie_breaker = spec.sort.tie_breaker
    tie_column = Column.of_ranked(spec.field_types[tie_breaker.path], merge_ranked(parts.records[tie_breaker.path]))
    # Positions: stably sorted by the tie-breaker's ranks (missing lowest); descending keeps ties in order.
    tie_ranks = tie_column.ranks
    order = np.argsort(-tie_ranks if tie_breaker.descending else tie_ranks, kind="stable").astype(np.int64)
    needed = _needed(spec)
    built = _built_pieces(parts, needed, order.astype(np.int32), workers)
    parts.records.clear()
    parts.related.clear()
    tie_column.reordered(order)
    if tie_breaker.path in needed.searched:
        tie_column.prepare_search()
    columns = {path: built.get(("column", path), tie_column) for path in spec.field_types}
    unique_tie_breaker = len(tie_column.uniques) == len(order) and not (tie_column.ranks == 0).any()
    combined = _combined_indexes(needed, built, columns)
    return CollectionIndex(
        columns, _relations(spec, built, len(order)), combined, len(order), unique_tie_breaker
    ), order


def _needed(spec: Spec) -> _Needed:
    needed = _Needed()
    for rule in spec.filters.values():
        for clause in rule.clauses:
            if clause.via is not None:
                needed.links[clause.path, clause.via.collection, clause.via.select] = None
                needed.matched[clause.via.collection, clause.via.match, clause.type] = None
            elif clause.operator in TEXT_OPERATORS_INDEXED:
                needed.searched.add(clause.path)  # built now, before the workers fork
        paths = frozenset(c.path for c in rule.clauses if c.operator == COMBINABLE and c.via is None)
        if len(paths) > 1:  # one needle in several fields: one search of their joined text per customer
            needed.combined[paths] = None
    return needed


def _built_pieces(parts: IndexParts, needed: _Needed, positions: Positions, workers: Workers) -> dict[Piece, Any]:
    """Every piece but the tie-breaker's column, each merged by a worker from the chunks its task holds."""
    tie_path = parts.spec.sort.tie_breaker.path
    pieces: list[Piece] = [("combined", tuple(sorted(paths))) for paths in needed.combined]  # the longest first
    pieces += [("column", path) for path in parts.spec.field_types if path != tie_path]
    pieces += [("owners", link) for link in needed.links] + [("matches", match) for match in needed.matched]
    tasks = [_task(parts, needed, positions, *piece) for piece in pieces]
    return dict(zip(pieces, workers.map(_assembled, tasks), strict=True))


def _task(parts: IndexParts, needed: _Needed, positions: Positions, kind: str, key: Any) -> tuple[Any, ...]:
    """What a worker needs to build one piece: the chunks, not the parts."""
    customers, related, types = parts.records, parts.related, parts.spec.field_types
    if kind == "combined":
        return kind, [(types[path], customers[path]) for path in key], positions
    if kind == "column":
        return kind, types[key], customers[key], positions, key in needed.searched
    if kind == "owners":
        path, collection, select = key
        return kind, customers[path], related[collection][select], positions
    collection, match, field_type = key
    return kind, field_type, related[collection][match]


def _combined_indexes(
    needed: _Needed, built: dict[Piece, Any], columns: dict[str, Column]
) -> dict[frozenset[str], TextIndex]:
    """The combined text indexes, each reading its strings again (for a needle it does not file) from the columns."""
    combined = {}
    for paths in needed.combined:
        text: TextIndex = built["combined", tuple(sorted(paths))]
        text._source = partial(combined_texts, tuple(columns[path] for path in sorted(paths)))
        combined[paths] = text
    return combined


def _relations(spec: Spec, built: dict[Piece, Any], size: int) -> dict[RelationKey, RelationIndex]:
    """The index of every relation the spec's filters go through."""
    relations: dict[RelationKey, RelationIndex] = {}
    for rule in spec.filters.values():
        for clause in rule.clauses:
            if clause.via is not None:
                via = clause.via
                owners, counts = built["owners", (clause.path, via.collection, via.select)]
                matches = built["matches", (via.collection, via.match, clause.type)]
                relations.setdefault(relation_key(clause), RelationIndex(matches, owners, counts, size))
    return relations


def _assembled(task: tuple[Any, ...]) -> Any:
    """One piece of the index, from its chunks (run in a worker process): a column, a relation's owners or
    matches, or the text index of several fields joined (its columns made again here: cheaper than waiting)."""
    kind = task[0]
    if kind == "column":
        _, field_type, chunks, positions, searched = task
        column = Column.of_ranked(field_type, merge_ranked(chunks)).reordered(positions)
        if searched:
            column.prepare_search()
        return column
    if kind == "owners":
        _, owner_chunks, select_chunks, positions = task
        uniques, ranks = merge_ranked(owner_chunks)
        return owners_by_rank((uniques, ranks[positions]), merge_ranked(select_chunks))
    if kind == "matches":
        _, field_type, chunks = task
        return Column.of_ranked(field_type, merge_ranked(chunks))
    _, fields, positions = task
    texts = [_folded_field(field_type, chunks, positions) for field_type, chunks in fields]
    text = TextIndex(partial(joined_texts, texts))
    text._source = None  # type: ignore[assignment]  # the caller's columns, not these copies, are its source
    return text


def _folded_field(field_type: FieldType, chunks: list[Ranked], positions: Positions) -> list[str | None]:
    """One field of a combined text index, per position, from its chunks (as its column would fold it)."""
    if field_type == "date":  # strings only where the column's values are (never, for instants)
        column = Column.of_ranked(field_type, merge_ranked(chunks)).reordered(positions)
        return folded_by_position([None, *column.folded()], column.ranks)
    uniques, ranks = merge_ranked(chunks)
    values = uniques.strings() if isinstance(uniques, PackedStrings) else uniques
    folded = [None, *(value.casefold() if isinstance(value, str) else None for value in values)]
    return folded_by_position(folded, ranks[positions])
