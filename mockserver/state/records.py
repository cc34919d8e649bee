"""What one write makes of a record, as plain dicts: the body checked against the operation's schema (every
problem named by its JSON path, worded as ``mockserver validate`` words it), what the server owns (``readOnly``)
dropped from the body and set by the server (``x-assigned``), a JSON Merge Patch (RFC 7396) applied, and the
uniqueness rules (``x-unique-within``) checked. No files and no HTTP: ``mockserver.state.tenants`` calls it with
the records of one tenant, under the write lock."""

from __future__ import annotations

import copy
import os
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from customers_spec.schemas import SchemaError
from customers_spec.values import get_path, without
from customers_spec.writes import Assigned, WriteSpec

Record = dict[str, Any]


class WriteRefused(Exception):
    """A write the mock answers with a problem: ``status`` (400, 404, 409), ``detail``, and for a 400 each JSON
    path and why."""

    def __init__(self, status: int, detail: str, errors: tuple[SchemaError, ...] = ()) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: an object merges member by member (``null`` removes), anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


def put_path(record: Record, path: str, value: Any) -> None:
    """Set the value at a dotted path, making the objects on the way (a value that is no object is left be)."""
    *parents, last = path.split(".")
    node: Any = record
    for part in parents:
        if not isinstance(node, dict):
            return
        node = node.setdefault(part, {})
    if isinstance(node, dict):
        node[last] = value


@dataclass
class Uniques:
    """Per uniqueness rule of a collection, which record holds each (scope, value), and each scope's largest value
    (a sequence never hands out a number again, even after a delete)."""

    holders: dict[tuple[str, str], dict[tuple[Any, Any], str]]
    largest: dict[tuple[str, str], dict[Any, Any]]

    @classmethod
    def of(cls, records: Mapping[str, Record], rules: tuple[tuple[str, str], ...], id_field: str) -> Uniques:
        uniques = cls({rule: {} for rule in rules}, {rule: {} for rule in rules})
        for record in records.values():
            uniques.add(record, id_field)
        return uniques

    def copy(self) -> Uniques:
        """An independent copy (a tenant's, from the start dataset's)."""
        return Uniques(
            {rule: dict(each) for rule, each in self.holders.items()},
            {rule: dict(each) for rule, each in self.largest.items()},
        )

    def add(self, record: Record, id_field: str) -> None:
        for (path, within), holders in self.holders.items():
            value, scope = get_path(record, path), _hashable(get_path(record, within))
            if value is not None:
                holders[(scope, value)] = str(record.get(id_field))
                largest = self.largest[(path, within)]
                if isinstance(value, (int, float)) and (scope not in largest or value > largest[scope]):
                    largest[scope] = value

    def remove(self, record: Record) -> None:
        for (path, within), holders in self.holders.items():
            holders.pop((_hashable(get_path(record, within)), get_path(record, path)), None)

    def conflict(self, record: Record, id_field: str) -> str | None:
        """What rule ``record`` would break against another record, in words, or None."""
        own = str(record.get(id_field))
        for (path, within), holders in self.holders.items():
            value, scope = get_path(record, path), get_path(record, within)
            holder = holders.get((_hashable(scope), value)) if value is not None else None
            if holder is not None and holder != own:
                return f"The {path} {value} is already used within the {within} {scope} (by {holder})."
        return None

    def next_value(self, path: str, within: str, scope: Any) -> int:
        largest = self.largest.get((path, within), {}).get(_hashable(scope))
        return int(largest) + 1 if largest is not None else 1


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def now_text() -> str:
    """The time of a write as the data writes its date-times (UTC, to the millisecond, ``Z``)."""
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_id(schema: Mapping[str, Any]) -> Any:
    """A new id in the form the id's schema gives: an ObjectId (time, then random bytes) where its pattern is
    one, an integer where it is one (unused: the caller asks for ``sequence``), else a UUID."""
    if "[0-9a-f]{24}" in str(schema.get("pattern", "")):
        return f"{int(time.time()):08x}{os.urandom(8).hex()}"
    return str(uuid.uuid4())


class Shaper:
    """A write's body made into the record stored, for one ``WriteSpec``: checked, owned fields set, unique."""

    def __init__(self, write: WriteSpec, validator: Any, id_schema: Mapping[str, Any]) -> None:
        self.write = write
        self.validator = validator
        self.id_schema = id_schema
        self.id_field = write.collection.id_field

    def record(self, body: Any, previous: Record | None, uniques: Uniques) -> Record:
        """The record the write stores (``previous``: the record it replaces or updates; None for a create)."""
        kind = self.write.kind
        if not isinstance(body, dict):
            got = "an array" if isinstance(body, list) else "not an object"
            raise WriteRefused(400, f"The body must be a JSON object, got {got}.", (SchemaError("$", "", "type"),))
        body = without(body, self.write.read_only)
        if kind == "update":
            body = merge_patch(without(previous or {}, self.write.read_only), body)
        errors = tuple(self.validator.iter_errors(body))
        if errors:
            noun = "problem" if len(errors) == 1 else "problems"
            raise WriteRefused(400, f"The body has {len(errors)} {noun}.", errors)
        record = dict(body)
        moment = now_text()
        for assigned in self.write.assigned:
            self._assign(record, assigned, previous, uniques, moment)
        if previous is not None:  # what the server owns and sets on no write stays as it was
            for path in self.write.read_only:
                kept = get_path(previous, path)
                if get_path(record, path) is None and kept is not None:
                    put_path(record, path, kept)
        conflict = uniques.conflict(record, self.id_field)
        if conflict is not None:
            raise WriteRefused(409, conflict)
        return _ordered(record, previous, self.id_field)

    def _assign(
        self, record: Record, assigned: Assigned, previous: Record | None, uniques: Uniques, moment: str
    ) -> None:
        path, how = assigned.path, assigned.how
        kept = get_path(previous, path) if previous is not None else None
        if how == "id":
            put_path(record, path, kept if previous is not None else new_id(self.id_schema))
        elif how == "created":
            put_path(record, path, kept if previous is not None else moment)
        elif how == "modified":
            put_path(record, path, moment)
        elif get_path(record, path) is None:  # a sequence: a value given is kept (and must be free)
            scope = get_path(record, assigned.within) if assigned.within else None
            within = assigned.within or ""
            put_path(record, path, kept if kept is not None else uniques.next_value(path, within, scope))


def _ordered(record: Record, previous: Record | None, id_field: str) -> Record:
    """The record with the id first (as the data has it) and, when it replaces one, the previous key order."""
    order = list(previous) if previous is not None else []
    keys = [*dict.fromkeys([*(key for key in order if key in record), *record])]
    if id_field in record:
        keys = [id_field, *(key for key in keys if key != id_field)]
    return {key: record[key] for key in keys}
