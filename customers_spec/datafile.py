"""One data file of customers and their sites, read and checked record by record: how every tool reads data.

A data file is either a JSON array of customers or ``{"customers": [...], "objects": [...]}``. Every record
must satisfy its schema (formats included), ``_id`` and ``number`` must be unique (the spec's tie-break and
``number`` filter rely on it), and every site must belong to a customer of the file. The first problem is a
one-line ``DataError`` naming the file, the record and the JSON path. It lives in the spec layer, which the mock
and the contract kit may both import, so a file reads and checks the same whoever reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from customers_spec.errors import DataError, SpecError
from customers_spec.model import Spec
from customers_spec.resources import default_data_path
from customers_spec.schema_messages import rust_message
from customers_spec.schemas import SchemaError, component, fast_validator, json_path

CUSTOMER, OBJECT = "Customer", "CustomerObject"
COLLECTION_KEYS = {CUSTOMER: "customers", OBJECT: "objects"}  # the file's key holding each schema's records
TOP_LEVEL_KEYS = frozenset(COLLECTION_KEYS.values())
UNIQUE_KEYS = {CUSTOMER: ("_id", "number"), OBJECT: ("_id",)}


@dataclass(frozen=True)
class Dataset:
    """Customers (``Customer`` schema) and their sites (``CustomerObject`` schema), as plain JSON values."""

    customers: list[dict[str, Any]]
    objects: list[dict[str, Any]] = field(default_factory=list)

    def records(self, collection: str) -> list[dict[str, Any]]:
        """The records of the collection the spec names ``collection`` (its key in the file); a collection the
        file does not hold has none, so a spec's other collections are served empty rather than refused."""
        records: list[dict[str, Any]] = getattr(self, collection) if collection in TOP_LEVEL_KEYS else []
        return records


@dataclass(frozen=True)
class Collection:
    """One list of records in a JSON document: their schema, where the list sits, and what a record is called."""

    schema: str
    root: str
    noun: str
    single: bool = False  # the document is one record, not a list of them

    def record_path(self, index: int) -> str:
        return self.root if self.single else f"{self.root}[{index}]"


@dataclass(frozen=True)
class Problem:
    """One problem of one record (``index`` None: of the document as a whole)."""

    noun: str
    index: int | None
    error: SchemaError

    def __str__(self) -> str:
        return str(self.error) if self.index is None else f"{self.noun} {self.index} at {self.error}"


CUSTOMERS_IN_ARRAY = Collection(CUSTOMER, "$", "customer")
CUSTOMERS_IN_OBJECT = Collection(CUSTOMER, "$.customers", "customer")
OBJECTS_IN_OBJECT = Collection(OBJECT, "$.objects", "object")


def load_dataset(path: Path | str, spec: Spec) -> Dataset:
    """Read and check a data file; DataError (one line) on the first problem."""
    path = Path(path)
    document = _read_json(path)
    customers, objects, collections = split_document(document, path)
    for problem in data_problems(customers, objects, collections, spec):
        raise DataError(f"{path}: {problem.noun} {problem.index} at {problem.error}")
    return Dataset(customers=customers, objects=objects)


def default_dataset(spec: Spec) -> Dataset:
    """The shipped ``data/customers.json`` (1,000 customers), checked like any other file."""
    return load_dataset(default_data_path(), spec)


def is_data_document(document: Any) -> bool:
    """Whether ``document`` has the ``{"customers": [...], "objects": [...]}`` form (no customer looks so)."""
    return isinstance(document, dict) and "customers" in document and set(document) <= TOP_LEVEL_KEYS


def split_document(document: Any, path: Path | str) -> tuple[list[Any], list[Any], tuple[Collection, Collection]]:
    """Customers and objects of either file form, with where each list sits (for JSON paths)."""
    if isinstance(document, list):
        return document, [], (CUSTOMERS_IN_ARRAY, OBJECTS_IN_OBJECT)
    if not isinstance(document, dict) or "customers" not in document:
        raise DataError(f'{path}: expected a JSON array of customers or {{"customers": [...], "objects": [...]}}')
    unknown = sorted(set(document) - TOP_LEVEL_KEYS)
    if unknown:
        raise DataError(f"{path}: unknown top-level key(s) {', '.join(unknown)}; expected customers, objects")
    customers, objects = document["customers"], document.get("objects", [])
    for key, value in (("customers", customers), ("objects", objects)):
        if not isinstance(value, list):
            raise DataError(f"{path}: $.{key} must be an array, not {type(value).__name__}")
    return customers, objects, (CUSTOMERS_IN_OBJECT, OBJECTS_IN_OBJECT)


def data_problems(
    customers: list[Any], objects: list[Any], collections: tuple[Collection, Collection], spec: Spec
) -> Iterator[Problem]:
    """Every problem of a dataset: schema violations, then repeated keys, then sites of unknown customers."""
    customer_list, object_list = collections
    yield from schema_problems(customers, customer_list, spec)
    yield from schema_problems(objects, object_list, spec)
    yield from unique_key_problems(customers, customer_list)
    yield from unique_key_problems(objects, object_list)
    known = {customer.get("_id") for customer in customers if isinstance(customer, dict)} if objects else set()
    for index, owner in enumerate(site_owners(objects)):
        if isinstance(owner, str) and owner not in known:
            where = f"{object_list.record_path(index)}.customerId"
            yield Problem(object_list.noun, index, SchemaError(where, f"'{owner}' names no customer", "reference"))


def records_valid(records: list[Any], schema: str, spec: Spec) -> bool:
    """Whether every record satisfies ``schema``, in one call (``schema_problems`` says what is wrong when not).
    A spec without that schema (a team's spec of other collections) serves none of these records: nothing to
    check them against, so they pass."""
    if schema not in (spec.document.get("components", {}).get("schemas") or {}):
        return True
    return bool(_records_validator(spec, schema, every=True).is_valid(records))


def schema_problems(records: list[Any], collection: Collection, spec: Spec) -> Iterator[Problem]:
    """Every schema violation of every record, found fast by jsonschema_rs and worded by ``customers_spec``."""
    if records_valid(records, collection.schema, spec):
        return
    fast = _records_validator(spec, collection.schema)
    for index, record in enumerate(records):
        if not fast.is_valid(record):
            for error in _schema_errors(record, collection.record_path(index), collection.schema, spec):
                yield Problem(collection.noun, index, error)


def record_keys(records: list[Any], schema: str) -> dict[str, list[Any]]:
    """Per key that must be unique (``UNIQUE_KEYS``), the records' values (None where a record is no object)."""
    return {
        key: [record.get(key) if type(record) is dict else None for record in records] for key in UNIQUE_KEYS[schema]
    }


def unique_key_problems(records: list[Any], collection: Collection) -> Iterator[Problem]:
    """Records repeating the ``_id`` (or, for customers, the ``number``) of an earlier record."""
    for key, values in record_keys(records, collection.schema).items():
        if _all_distinct(values):  # nothing repeats (the usual case): no record to look at
            continue
        seen: dict[Any, int] = {}
        for index, record in enumerate(records):
            value = record.get(key) if isinstance(record, dict) else None
            if not isinstance(value, str | int) or isinstance(value, bool):
                continue
            earlier = seen.setdefault(value, index)
            if earlier != index:
                message = f"{orjson.dumps(value).decode()} is not unique, {collection.noun} {earlier} has it too"
                where = f"{collection.record_path(index)}.{key}"
                yield Problem(collection.noun, index, SchemaError(where, message, "unique"))


def site_owners(objects: list[Any]) -> list[Any]:
    """The ``customerId`` of every site (None where a site is no object)."""
    return [site.get("customerId") if isinstance(site, dict) else None for site in objects]


def _all_distinct(values: list[Any]) -> bool:
    """Whether no two values are equal (False where some cannot be hashed: the slow path then looks)."""
    try:
        return len(set(values)) == len(values)
    except TypeError:
        return False


def _schema_errors(record: Any, root: str, schema: str, spec: Spec) -> list[SchemaError]:
    """The errors as ``customers_spec.schemas`` words them, or as jsonschema_rs does if only it objects."""
    errors = list(component(spec, schema).iter_errors(record, root))
    if errors:
        return errors
    found = []
    for error in _records_validator(spec, schema).iter_errors(record):
        rule = _rust_rule(error)
        found.append(SchemaError(json_path(error.instance_path, root), error.message, rule, rust_message(rule, error)))
    return found


def _rust_rule(error: Any) -> str:
    return type(error.kind).__name__.rpartition("_")[2].lower()


@lru_cache(maxsize=8)
def _records_validator(spec: Spec, schema: str, *, every: bool = False) -> Any:
    """The ``fast_validator`` of one component schema: jsonschema_rs checks 1,000 customers in milliseconds.
    ``every``: the validator of a list of such records (one call checks them all)."""
    reference = {"$ref": f"#/components/schemas/{schema}"}
    validator = fast_validator(spec, {"type": "array", "items": reference} if every else reference)
    if validator is None:
        raise SpecError(f"/components/schemas/{schema}: jsonschema_rs cannot compile it to check data files")
    return validator


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except orjson.JSONDecodeError as exc:
        raise DataError(f"{path}: not JSON: {exc}") from exc
