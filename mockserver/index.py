"""The store's indexes: what a query reads instead of the customers, built once at start-up, before the fork.

Customers are numbered by *position*: their place in the order of the spec's tie-breaker (``_id`` ascending),
so "ties broken by ``_id``" is "ties broken by position", which every stable sort over positions gives for free.
Everything a query touches is a numpy array (or a short list of distinct values), never a per-customer Python
object: the arrays are built in the master, and the forked workers share their pages untouched, where per-customer
dicts would be copied page by page as reference counts change. A ``Column`` holds one path's values as dense
ranks and answers eq/in/ne/nin/ranges/exists with a boolean mask over positions; a ``RelationIndex`` answers
filters through another collection; text operators search a ``TextIndex`` of a column's distinct values.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from customers_spec.datafile import Dataset
from customers_spec.model import Clause, FieldType, Relation, SortKey, Spec
from customers_spec.values import get_path, record_value
from mockserver.parallel import HERE, Workers
from mockserver.textindex import SEPARATOR, TextIndex

Mask = npt.NDArray[np.bool_]
Positions = npt.NDArray[np.int32]
Ranked = tuple[Sequence[Any], npt.NDArray[np.int32]]  # sorted distinct values (no None), and ranks (0: None)
FEW_RANKS = 8
LOOKUP_ABOVE = 32  # a text needle found more than size / this times is marked by a table lookup per position
COMBINABLE = "contains"  # a needle inside any one field is inside the joined fields (and only then)
TEXT_OPERATORS_INDEXED = frozenset({"contains", "startsWith", "endsWith"})
EPOCH, MICROSECOND = datetime(1970, 1, 1, tzinfo=UTC), timedelta(microseconds=1)


class Column:
    """One path's values by position as dense ranks: 0 without a value (missing sorts lowest), else 1 + the
    value's place among the sorted distinct values; equal values (``1`` and ``1.0``, one instant in two
    offsets) share a rank."""

    def __init__(self, field_type: FieldType, values: Sequence[Any]) -> None:
        self.type = field_type
        self.size = len(values)
        self.uniques: Sequence[Any]
        self.uniques, self.ranks = dense_ranks(values)
        self._text: TextIndex | None = None
        self._by_rank: npt.NDArray[np.int32] | None = None  # positions by (rank, position), for text matches
        self._rank_starts: npt.NDArray[np.int64] | None = None

    @classmethod
    def of(cls, field_type: FieldType, stored: Sequence[Any]) -> Column:
        """The column of a path's ``stored`` values; a date is parsed once per distinct string."""
        return cls.of_ranked(field_type, ranked(stored))

    @classmethod
    def of_ranked(cls, field_type: FieldType, raw: Ranked) -> Column:
        """The column of a path's stored values given as ``ranked`` (what chunks merge into): a date string is
        parsed once per distinct string, and equal instants share a rank."""
        raw_uniques, raw_ranks = raw
        column = cls.__new__(cls)
        column.type, column.size = field_type, len(raw_ranks)
        if field_type == "date":
            instants, instant_ranks = ranked([record_value(field_type, value) for value in raw_uniques])
            column.uniques = PackedInstants(instants)
            column.ranks = np.concatenate(([0], instant_ranks)).astype(np.int32)[raw_ranks]
        else:
            column.uniques, column.ranks = packed(raw_uniques), raw_ranks
        column._text, column._by_rank, column._rank_starts = None, None, None
        return column

    def reordered(self, order: npt.NDArray[np.integer[Any]]) -> Column:
        """This column with its ranks rearranged: position ``i`` gets the rank that was at ``order[i]``."""
        self.ranks = self.ranks[order]
        return self

    def value_ranks(self, values: Iterable[Any]) -> list[int]:
        """The ranks of those ``values`` that some customer has."""
        found = []
        for value in set(values):
            index = _place(self.uniques, value)
            if index < len(self.uniques) and self.uniques[index] == value:
                found.append(index + 1)
        return found

    def select(self, operator: str, value: Any) -> Mask:
        """The positions ``operator`` accepts (every operator but the text ones); missing values: ne/nin/exists."""
        ranks = self.ranks
        if operator == "exists":
            return ranks > 0 if value else ranks == 0
        if operator in ("eq", "in", "ne", "nin"):
            wanted = self.value_ranks(value if operator in ("in", "nin") else (value,))
            if len(wanted) <= FEW_RANKS:  # a comparison per rank beats a table lookup per position
                equal = np.zeros(self.size, dtype=np.bool_)
                for rank in wanted:
                    equal |= ranks == rank
            else:
                table = np.zeros(len(self.uniques) + 1, dtype=np.bool_)
                table[wanted] = True
                equal = table[ranks]
            return equal if operator in ("eq", "in") else ~equal
        low, high = _place(self.uniques, value) + 1, _place(self.uniques, value, after=True) + 1
        if operator == "gt":
            return ranks >= high
        if operator == "gte":
            return ranks >= low
        if operator == "lt":
            return (ranks > 0) & (ranks < low)
        if operator == "lte":
            return (ranks > 0) & (ranks < high)
        raise ValueError(f"'{operator}' is not an operator a column answers")

    def search(self, operator: str, needle: str, into: Mask) -> None:
        """Mark in ``into`` the positions whose case-folded string ``operator`` (contains/startsWith/endsWith)
        accepts ``needle`` (already case-folded); a position without a string never matches. The cost is
        that of the matches (the text index finds the distinct values, ``by_rank`` their positions), and at
        most one table lookup per position when they are many."""
        self.prepare_search()
        text: TextIndex = self._text  # type: ignore[assignment]
        owners = text.owners_matching(operator, needle)
        if len(owners) * LOOKUP_ABOVE > self.size:  # many: a lookup per position in a table of the matched values
            matched = np.zeros(len(self.uniques) + 1, dtype=np.bool_)
            matched[owners + 1] = True
            into |= np.take(matched, self.ranks)  # take: a third faster than indexing with int32
        elif len(owners):
            into[self.positions_of_ranks(text.distinct(owners) + 1)] = True

    def prepare_search(self) -> None:
        """Build the text index and ``by_rank`` now (before the workers fork), not on a worker's first query."""
        if self._text is None:  # concurrent first queries may both build; ``_text`` is set last, when all is ready
            rank_starts = np.zeros(len(self.uniques) + 2, dtype=np.int64)
            np.cumsum(np.bincount(self.ranks, minlength=len(self.uniques) + 1), out=rank_starts[1:])
            self._by_rank = np.argsort(self.ranks, kind="stable").astype(np.int32)
            self._rank_starts = rank_starts
            self._text = TextIndex(self.folded)

    def folded(self) -> list[str | None]:
        """The distinct values case-folded (None for a value that is not a string), by rank - 1."""
        if isinstance(self.uniques, PackedInstants):
            return [None] * len(self.uniques)
        return [value.casefold() if isinstance(value, str) else None for value in self.uniques]

    def positions_of_ranks(self, ranks: npt.NDArray[np.integer]) -> npt.NDArray[np.int32]:
        """The positions holding any of ``ranks`` (after ``prepare_search``)."""
        rank_starts, by_rank = self._rank_starts, self._by_rank
        assert rank_starts is not None and by_rank is not None, "prepare_search() first"
        return members_of_ranks(by_rank, rank_starts, ranks)


def members_of_ranks(
    by_rank: Positions, rank_starts: npt.NDArray[np.int64], ranks: npt.NDArray[np.integer]
) -> Positions:
    """The positions holding each of ``ranks``, rank after rank: ``by_rank`` holds the positions grouped by
    rank, the group of rank ``r`` starting at ``rank_starts[r]``."""
    lows = rank_starts[ranks]
    lengths = rank_starts[ranks + 1] - lows
    if not len(lengths) or (lengths == 1).all():  # one position each (a unique column): no groups to spread
        return by_rank[lows]
    shifts = np.repeat(lows - (np.cumsum(lengths) - lengths), lengths)
    return by_rank[shifts + np.arange(int(lengths.sum()), dtype=np.int64)]


def combined_texts(columns: Sequence[Column]) -> list[str | None]:
    """Per position the case-folded fields joined by NUL (None when none has a string)."""
    return joined_texts([folded_by_position([None, *column.folded()], column.ranks) for column in columns])


def folded_by_position(folded: list[str | None], ranks: npt.NDArray[np.integer]) -> list[str | None]:
    """Per position its case-folded string: ``folded`` by rank (0: no value, so ``folded[0]`` is None)."""
    return list(map(folded.__getitem__, ranks.tolist()))


def joined_texts(fields: Sequence[Sequence[str | None]]) -> list[str | None]:
    """Per position the fields' strings joined by NUL, skipping the missing ones (None when all are)."""
    joined: list[str | None] = []
    for texts in zip(*fields, strict=True):
        if None in texts:
            present = [text for text in texts if text is not None]
            joined.append(SEPARATOR.join(present) if present else None)
        else:
            joined.append(SEPARATOR.join(texts))  # type: ignore[arg-type]
    return joined


def values_at(records: Sequence[dict[str, Any]], path: str) -> list[Any]:
    """``get_path`` of every record."""
    return values_by_path(records, [path])[path]


def values_by_path(records: Sequence[dict[str, Any]], paths: Iterable[str]) -> dict[str, list[Any]]:
    """``get_path`` of every record for every path, in one pass over the records: each record is read while it is
    in the CPU cache (four times faster than a pass per path at 100,000 customers)."""
    found: dict[str, list[Any]] = {path: [] for path in paths}
    top = [(path, found[path].append) for path in found if "." not in path]
    nested: dict[str, list[tuple[str, Callable[[Any], None]]]] = {}
    deeper: list[tuple[str, Callable[[Any], None]]] = []
    for path in found:
        outer, dot, inner = path.partition(".")
        if dot and "." not in inner:
            nested.setdefault(outer, []).append((inner, found[path].append))
        elif dot:
            deeper.append((path, found[path].append))
    groups = list(nested.items())
    for record in records:
        get = record.get
        for key, append in top:
            append(get(key))
        for outer, inners in groups:
            node = get(outer)
            if type(node) is dict:
                for inner, append in inners:
                    append(node.get(inner))
            else:
                for _, append in inners:
                    append(None)
        for path, append in deeper:
            append(get_path(record, path))
    return found


def dense_ranks(values: Sequence[Any]) -> Ranked:
    """The sorted distinct values (without None), and per value its rank: 0 for None, else 1 + its place among
    them. Python compares (code-point order for strings, ``1 == 1.0``), so ranks order as the spec says."""
    uniques, ranks = ranked(values)
    return packed(uniques), ranks


def ranked(values: Sequence[Any]) -> Ranked:
    """``dense_ranks`` with the distinct values as a plain list (what a chunk hands on to be merged)."""
    distinct = set(values)
    distinct.discard(None)
    uniques = sorted(distinct)
    lookup: dict[Any, int] = dict(zip(uniques, range(1, len(uniques) + 1), strict=True))
    lookup[None] = 0
    return uniques, np.fromiter(map(lookup.__getitem__, values), dtype=np.int32, count=len(values))


def merge_ranked(parts: Sequence[Ranked]) -> Ranked:
    """The ``ranked`` of the chunks' values one after the other, from each chunk's ``ranked``: only the chunks'
    distinct values are compared and looked up again, never every value."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return [], np.zeros(0, dtype=np.int32)
    lists = [uniques.strings() if isinstance(uniques, PackedStrings) else uniques for uniques, _ in parts]
    joined: list[Any] = []
    for uniques in lists:
        joined += uniques
    joined.sort()  # sorted runs: the sort merges them; stable, so an earlier chunk's copy of a value comes first
    merged = list(dict.fromkeys(joined))  # the first copy of equal values stays (1 before 1.0), as ``ranked`` does
    del joined
    lookup: dict[Any, int] = dict(zip(merged, range(1, len(merged) + 1), strict=True))
    found = []
    for uniques, (_, ranks) in zip(lists, parts, strict=True):
        local = np.zeros(len(uniques) + 1, dtype=np.int32)
        local[1:] = np.fromiter(map(lookup.__getitem__, uniques), dtype=np.int32, count=len(uniques))
        found.append(local[ranks])
    return merged, np.concatenate(found)


def packed(uniques: Sequence[Any]) -> Sequence[Any]:
    """Sorted distinct strings as ``PackedStrings``; other values as they are."""
    if isinstance(uniques, PackedStrings):
        return uniques
    if uniques and set(map(type, uniques)) == {str}:
        return PackedStrings(uniques)
    return uniques


def summarize(records: Sequence[dict[str, Any]], paths: Iterable[str]) -> dict[str, Ranked]:
    """Per path, the ``ranked`` values of these records: what a chunk of records contributes to the index. Its
    strings are packed (``PackedStrings``): a chunk's summary is then a few arrays, cheap to pickle from a worker
    and to keep until the merge, where a list of str objects would take several GiB at 1,000,000 customers."""
    return {path: dense_ranks(values) for path, values in values_by_path(records, paths).items()}


class PackedStrings(Sequence[str]):
    """Sorted distinct strings as one UTF-8 buffer and offsets: a tenth of the memory of a list of str, and no
    per-string objects for the forked workers to copy; indexing decodes one string (for binary search)."""

    def __init__(self, strings: Sequence[str]) -> None:
        joined = SEPARATOR.join(strings)
        self._separable = joined.count(SEPARATOR) == len(strings) - 1  # no string holds NUL: the usual case
        if self._separable and strings:  # encoded at once; a NUL byte is only ever a separator in UTF-8
            whole = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
            del joined
            separators = np.flatnonzero(whole == 0)
            self._offsets = np.empty(len(strings) + 1, dtype=np.int64)
            self._offsets[0] = 0
            self._offsets[1:-1] = separators - np.arange(len(separators))
            self._offsets[-1] = len(whole) - len(separators)
            self._buffer = whole[whole != 0] if len(separators) else whole
            return
        encoded = [string.encode("utf-8", "surrogatepass") for string in strings]
        self._offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=self._offsets[1:])
        self._buffer = np.frombuffer(b"".join(encoded), dtype=np.uint8)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        start, end = int(self._offsets[index]), int(self._offsets[index + 1])
        return self._buffer[start:end].tobytes().decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings())

    def strings(self) -> list[str]:
        """Every string, decoded at once where no string holds NUL (split at separators put back)."""
        if self._separable and len(self):
            whole = np.insert(self._buffer, self._offsets[1:-1], 0).tobytes()
            return whole.decode("utf-8", "surrogatepass").split(SEPARATOR)
        buffer, offsets = self._buffer.tobytes(), self._offsets.tolist()
        return [buffer[start:end].decode("utf-8", "surrogatepass") for start, end in pairwise(offsets)]


class PackedInstants(Sequence[datetime]):
    """Sorted distinct instants as microseconds since the epoch in one array (``datetime``'s precision): no
    per-value objects for the forked workers to copy or for the store's file to pickle (the four date columns
    of 100,000 customers took a fifth of a second to pickle). Indexing gives the instant in UTC."""

    def __init__(self, instants: Sequence[datetime]) -> None:
        micros = ((instant - EPOCH) // MICROSECOND for instant in instants)
        self._micros = np.fromiter(micros, dtype=np.int64, count=len(instants))

    def __len__(self) -> int:
        return len(self._micros)

    def __getitem__(self, index: int) -> datetime:  # type: ignore[override]
        return EPOCH + timedelta(microseconds=int(self._micros[index]))

    def place(self, instant: datetime, *, after: bool = False) -> int:
        """``bisect_left`` (``bisect_right`` if ``after``) of ``instant``, on the array: no datetime per probe."""
        return int(np.searchsorted(self._micros, (instant - EPOCH) // MICROSECOND, "right" if after else "left"))


def _place(uniques: Sequence[Any], value: Any, *, after: bool = False) -> int:
    """Where ``value`` goes among the sorted ``uniques``: before its equals, or after them if ``after``."""
    if isinstance(uniques, PackedInstants) and isinstance(value, datetime):
        return uniques.place(value, after=after)
    return bisect_right(uniques, value) if after else bisect_left(uniques, value)


class RelationIndex:
    """A filter through another collection: the related records' ``match`` column, and the customers each
    related record belongs to (``owners``, flattened, ``counts`` per related record)."""

    def __init__(self, matches: Column, owners: Positions, counts: npt.NDArray[np.int64], size: int) -> None:
        self.matches = matches
        self.owners = owners
        self.counts = counts
        self.size = size

    def select(self, operator: str, value: Any) -> Mask:
        """Customers owning at least one related record whose ``match`` value the operator accepts."""
        matched = self.matches.select(operator, value)
        found = np.zeros(self.size, dtype=np.bool_)
        found[self.owners[np.repeat(matched, self.counts)]] = True
        return found


def owners_by_rank(owner_values: Ranked, selects: Ranked) -> tuple[Positions, npt.NDArray[np.int64]]:
    """Per related record (its ``select`` value, ``selects`` ranked in the collection's order), the customers
    whose path value (``owner_values``, ranks by position) it names: flattened, in position order, and how many
    each record has. Values are matched by equality, as a dict would."""
    uniques, ranks = owner_values
    lookup: dict[Any, int] = dict(zip(uniques, range(1, len(uniques) + 1), strict=True))
    select_uniques, select_ranks = selects
    named = np.zeros(len(select_uniques) + 1, dtype=np.int64)  # per select value: the owners' rank (0: none)
    named[1:] = np.fromiter((lookup.get(value, 0) for value in select_uniques), np.int64, count=len(select_uniques))
    record_ranks = named[select_ranks]
    per_rank = np.bincount(ranks, minlength=len(uniques) + 1).astype(np.int64)
    per_rank[0] = 0  # a customer without the value is named by no record
    rank_starts = np.zeros(len(per_rank) + 1, dtype=np.int64)
    np.cumsum(per_rank, out=rank_starts[1:])
    by_rank = np.argsort(ranks, kind="stable").astype(np.int32)
    return members_of_ranks(by_rank, rank_starts, record_ranks), per_rank[record_ranks]


def related_paths(spec: Spec) -> dict[str, list[str]]:
    """Every path the spec's relations read, per related collection."""
    paths: dict[str, set[str]] = {}
    for rule in spec.filters.values():
        for clause in rule.clauses:
            if clause.via is not None:
                paths.setdefault(clause.via.collection, set()).update((clause.via.select, clause.via.match))
    return {collection: sorted(wanted) for collection, wanted in paths.items()}


def customer_paths(spec: Spec) -> list[str]:
    """Every customer path the index reads: the filterable ones and those the relations start from."""
    paths = dict.fromkeys(spec.field_types)
    paths.update(dict.fromkeys(clause.path for rule in spec.filters.values() for clause in rule.clauses if clause.via))
    return list(paths)


class IndexParts:
    """What an index is built from, gathered chunk by chunk: per path, each chunk's ``ranked`` values. Chunks
    can be summarized anywhere (another process, or as they are read or generated), so that the records
    themselves never need to be held all at once."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.customer_paths = customer_paths(spec)
        self.related_paths = related_paths(spec)
        self.customers: dict[str, list[Ranked]] = {path: [] for path in self.customer_paths}
        self.related: dict[str, dict[str, list[Ranked]]] = {
            collection: {path: [] for path in paths} for collection, paths in self.related_paths.items()
        }

    def add_customers(self, summary: dict[str, Ranked]) -> None:
        """The next chunk of customers, as ``summarize`` of ``customer_paths``."""
        for path, chunks in self.customers.items():
            chunks.append(summary[path])

    def add_related(self, collection: str, summary: dict[str, Ranked]) -> None:
        """The next chunk of a related collection, as ``summarize`` of its ``related_paths``."""
        for path, chunks in self.related[collection].items():
            chunks.append(summary[path])

    def add_dataset(self, dataset: Dataset) -> None:
        """Every record of an in-memory dataset, as one chunk per collection."""
        self.add_customers(summarize(dataset.customers, self.customer_paths))
        for collection, paths in self.related_paths.items():
            records = getattr(dataset, collection, None)
            if records is None:
                raise ValueError(f"the dataset has no collection '{collection}'")
            self.add_related(collection, summarize(records, paths))


class CustomerIndex:
    """Every index over one dataset: a column per filterable path and the relations the spec's filters use.

    The customers themselves are not kept, so that the workers fork from a master holding arrays only.
    """

    def __init__(self, spec: Spec, dataset: Dataset) -> None:
        parts = IndexParts(spec)
        parts.add_dataset(dataset)
        self._assemble(parts)

    @classmethod
    def of_parts(cls, parts: IndexParts, workers: Workers = HERE) -> tuple[CustomerIndex, npt.NDArray[np.int64]]:
        """The index of chunks gathered in ``parts`` (which it empties), and per position the customer's place
        among them (in the order the chunks were added)."""
        index = cls.__new__(cls)
        return index, index._assemble(parts, workers)

    def _assemble(self, parts: IndexParts, workers: Workers = HERE) -> npt.NDArray[np.int64]:
        """Merge the chunks into columns, relations and text indexes: the tie-breaker's column first (it sets the
        positions), then every other piece as a task of its own, in parallel (``mockserver.parallel``)."""
        spec = parts.spec
        tie_breaker = spec.sort.tie_breaker
        tie_path = tie_breaker.path
        tie_column = Column.of_ranked(spec.field_types[tie_path], merge_ranked(parts.customers[tie_path]))
        # Positions: stably sorted by the tie-breaker's ranks (missing lowest); descending keeps ties in order.
        tie_ranks = tie_column.ranks
        order = np.argsort(-tie_ranks if tie_breaker.descending else tie_ranks, kind="stable").astype(np.int64)
        self.size = len(order)
        searched: set[Any] = set()
        links: dict[Any, Any] = {}
        matched: dict[Any, Any] = {}
        combined: dict[Any, Any] = {}
        for rule in spec.filters.values():
            for clause in rule.clauses:
                if clause.via is not None:
                    links[clause.path, clause.via.collection, clause.via.select] = None
                    matched[clause.via.collection, clause.via.match, clause.type] = None
                elif clause.operator in TEXT_OPERATORS_INDEXED:
                    searched.add(clause.path)  # built now, before the workers fork
            paths = frozenset(c.path for c in rule.clauses if c.operator == COMBINABLE and c.via is None)
            if len(paths) > 1:  # one needle in several fields: one search of their joined text per customer
                combined[paths] = None
        keys: list[tuple[str, Any]] = [("combined", tuple(sorted(paths))) for paths in combined]  # the longest first
        keys += [("column", path) for path in spec.field_types if path != tie_path]
        keys += [("owners", link) for link in links] + [("matches", match) for match in matched]
        positions = order.astype(np.int32)
        customers, related, types = parts.customers, parts.related, spec.field_types

        def task(kind: str, key: Any) -> tuple[Any, ...]:  # what a worker needs: the chunks, not the parts
            if kind == "combined":
                return kind, [(types[path], customers[path]) for path in key], positions
            if kind == "column":
                return kind, types[key], customers[key], positions, key in searched
            if kind == "owners":
                path, collection, select = key
                return kind, customers[path], related[collection][select], positions
            collection, match, field_type = key
            return kind, field_type, related[collection][match]

        tasks = [task(*key) for key in keys]
        built = dict(zip(keys, workers.map(_assembled, tasks), strict=True))
        del tasks
        parts.customers.clear()
        parts.related.clear()
        tie_column.reordered(order)
        if tie_path in searched:
            tie_column.prepare_search()
        columns = {path: built.get(("column", path), tie_column) for path in spec.field_types}
        self.columns: dict[str, Column] = columns
        self.unique_tie_breaker = len(tie_column.uniques) == self.size and not (tie_column.ranks == 0).any()
        self._relations: dict[tuple[str, str, Relation | None], RelationIndex] = {}
        self._combined: dict[frozenset[str], TextIndex] = {}
        for paths in combined:
            text: TextIndex = built["combined", tuple(sorted(paths))]
            text._source = partial(combined_texts, tuple(columns[path] for path in sorted(paths)))
            self._combined[paths] = text
        for rule in spec.filters.values():
            for clause in rule.clauses:
                if clause.via is not None:
                    via, key = clause.via, (clause.path, clause.type, clause.via)
                    owners, counts = built["owners", (clause.path, via.collection, via.select)]
                    matches = built["matches", (via.collection, via.match, clause.type)]
                    self._relations.setdefault(key, RelationIndex(matches, owners, counts, self.size))
        return order

    def column(self, path: str) -> Column:
        try:
            return self.columns[path]
        except KeyError:
            raise ValueError(f"'{path}' is not a filterable path") from None

    def combined(self, paths: frozenset[str]) -> TextIndex | None:
        """The text index of these fields joined by NUL per customer (its strings are positions), if built: a
        needle without NUL is in one of the fields exactly when it is in their joined text."""
        return self._combined.get(paths)

    def relation(self, clause: Clause) -> RelationIndex:
        """The index of ``clause.via``: every relation the spec's filters declare is built at start-up."""
        found = self._relations.get((clause.path, clause.type, clause.via))
        if found is None:
            raise ValueError(f"no index for the relation of '{clause.path}' ({clause.via})")
        return found


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


def tie_breaker_order(customers: Sequence[dict[str, Any]], tie_breaker: SortKey, field_type: FieldType) -> list[int]:
    """Per position, the index in ``customers`` of the customer there: sorted by the tie-breaker key (missing
    lowest), stably."""
    values = [record_value(field_type, value) for value in values_at(customers, tie_breaker.path)]
    if any(value is None for value in values):
        values = [(value is not None, value) for value in values]  # type: ignore[misc]
    return sorted(range(len(customers)), key=values.__getitem__, reverse=tie_breaker.descending)
