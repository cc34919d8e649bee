"""The staging's tables, laid out from the spec: a customer is a row with its JSON and one column per filterable
path of ``components.x-field-types`` (and a case-folded copy of each string), a related collection of an
``x-filter``'s ``via`` is a table with the paths it is matched and selected by.

Values are stored as they compare (the spec's conventions): strings as text (SQLite's BINARY collation compares
UTF-8 bytes, which is Unicode code-point order), numbers as numbers, booleans as 0/1, date-times as integer
microseconds since the epoch (an instant, whatever offset it was written with), absent and null as NULL. The
folded copy of a string is ``str.casefold`` (``ß`` -> ``ss``), computed when the row is written, as a staging
keeps a search column: SQLite's own ``lower`` folds ASCII only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from customers_spec.model import Spec
from customers_spec.values import get_path, parse_datetime

Record = dict[str, Any]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CUSTOMERS = "customers"
KEY = "_id"  # the customers' primary key, a path of the field catalogue
BODIES = "bodies"  # each customer's JSON, apart: a scan of the customers' columns does not read it
BODY = "body"


def value_column(path: str) -> str:
    """The quoted name of the column holding ``path``'s value."""
    return f'"v:{path}"'


def folded_column(path: str) -> str:
    """The quoted name of the column holding ``path``'s case-folded text."""
    return f'"f:{path}"'


def relation_table(collection: str) -> str:
    return f'"rel:{collection}"'


def related_column(path: str) -> str:
    return f'"r:{path}"'


def instant(moment: datetime) -> int:
    """A date-time as integer microseconds since the epoch: exact, so equal instants are equal numbers."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def stored(field_type: str, value: Any) -> Any:
    """A record's value as its column holds it (None stays NULL)."""
    if value is None:
        return None
    if field_type == "date":
        return instant(parse_datetime(value))
    if field_type == "boolean":
        return int(bool(value))
    return value


@dataclass(frozen=True)
class Layout:
    """The tables of one spec: the customers' columns, and each related collection's matched and selected paths."""

    types: Mapping[str, str]  # filterable path -> field type
    relations: Mapping[str, tuple[str, ...]]  # collection -> its paths a relation filter reads
    sortable: tuple[str, ...] = ()  # the paths of x-sort: each indexed, as a staging would

    @classmethod
    def of(cls, spec: Spec) -> Layout:
        relations: dict[str, list[str]] = {}
        for rule in spec.filters.values():
            for clause in rule.clauses:
                if clause.via is not None:
                    paths = relations.setdefault(clause.via.collection, [])
                    paths += [path for path in (clause.via.match, clause.via.select) if path not in paths]
        related = {name: tuple(paths) for name, paths in relations.items()}
        return cls(dict(spec.field_types), related, spec.sort.fields)

    @property
    def text_paths(self) -> tuple[str, ...]:
        return tuple(path for path, field_type in self.types.items() if field_type == "string")

    def create(self, connection: sqlite3.Connection) -> None:
        """The empty tables (columns without a declared type: SQLite then keeps each value as it is given)."""
        columns = [f"{value_column(path)}" for path in self.types if path != KEY]
        columns += [folded_column(path) for path in self.text_paths]
        key = f"{value_column(KEY)} PRIMARY KEY"
        connection.execute(f"CREATE TABLE {CUSTOMERS} ({key}, {', '.join(columns)})")
        connection.execute(f"CREATE TABLE {BODIES} ({key}, {BODY} NOT NULL) WITHOUT ROWID")

        for collection, paths in self.relations.items():
            table = relation_table(collection)
            connection.execute(f"CREATE TABLE {table} ({', '.join(related_column(path) for path in paths)})")

    def index(self, connection: sqlite3.Connection) -> None:
        """The indexes, made once the tables are filled (cheaper than keeping them while inserting)."""
        for path in self.sortable:  # the column alone: equal values stay in the table's order, not by _id
            if path != KEY:
                connection.execute(f'CREATE INDEX "sort:{path}" ON {CUSTOMERS} ({value_column(path)})')
        for collection, paths in self.relations.items():
            for path in paths:
                name = f'"rel:{collection}:{path}"'
                connection.execute(f"CREATE INDEX {name} ON {relation_table(collection)} ({related_column(path)})")

    def customer_row(self, record: Record) -> tuple[Any, ...]:
        """A customer's row, in the order of ``customer_insert``'s columns."""
        values = [stored(field_type, get_path(record, path)) for path, field_type in self.types.items()]
        texts = [get_path(record, path) for path in self.text_paths]
        return (*values, *(text.casefold() if isinstance(text, str) else None for text in texts))

    @property
    def customer_insert(self) -> str:
        """``INSERT OR REPLACE`` of one customer row (an existing ``_id`` is replaced: a write of a new version)."""
        names = [value_column(path) for path in self.types] + [folded_column(p) for p in self.text_paths]
        marks = ", ".join("?" for _ in names)
        return f"INSERT OR REPLACE INTO {CUSTOMERS} ({', '.join(names)}) VALUES ({marks})"

    body_insert = f"INSERT OR REPLACE INTO {BODIES} ({value_column(KEY)}, {BODY}) VALUES (?, ?)"

    def put(self, connection: sqlite3.Connection, record: Record) -> None:
        """A customer written, new or a new version of one: its columns and its JSON."""
        connection.execute(self.customer_insert, self.customer_row(record))
        connection.execute(self.body_insert, body_row(record))

    def remove(self, connection: sqlite3.Connection, customer_id: str) -> None:
        for table in (CUSTOMERS, BODIES):
            connection.execute(f"DELETE FROM {table} WHERE {value_column(KEY)} = ?", (customer_id,))

    def related_rows(self, collection: str, records: Iterable[Record]) -> Iterator[tuple[Any, ...]]:
        for record in records:
            yield tuple(get_path(record, path) for path in self.relations[collection])

    def related_insert(self, collection: str) -> str:
        paths = self.relations[collection]
        marks = ", ".join("?" for _ in paths)
        names = ", ".join(related_column(path) for path in paths)
        return f"INSERT INTO {relation_table(collection)} ({names}) VALUES ({marks})"


def body_row(record: Record) -> tuple[str, str]:
    return record[KEY], orjson.dumps(record).decode()


def bodies_of(ids: int) -> str:
    """The JSON of ``ids`` customers by id (the ids bound in turn)."""
    return f"SELECT {value_column(KEY)}, {BODY} FROM {BODIES} WHERE {value_column(KEY)} IN ({', '.join('?' * ids)})"


def fill(
    connection: sqlite3.Connection,
    layout: Layout,
    customers: Sequence[Record],
    related: Mapping[str, Sequence[Record]],
) -> None:
    """The tables created and filled in one transaction: customers in the order given (their physical order)."""
    with connection:
        layout.create(connection)
        connection.executemany(layout.customer_insert, (layout.customer_row(record) for record in customers))
        by_id = sorted(customers, key=lambda record: record[KEY])  # the key's order: the cheapest to insert
        connection.executemany(layout.body_insert, (body_row(record) for record in by_id))
        for collection in layout.relations:
            rows = layout.related_rows(collection, related.get(collection, ()))
            connection.executemany(layout.related_insert(collection), rows)
        layout.index(connection)
