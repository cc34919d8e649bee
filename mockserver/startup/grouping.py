"""Which stores the spec's list operations need: one per collection (and tie-breaker), indexed for the filters and
sorts of every list of that collection, so that the sites list and a customer's sites answer from one store, and
a collection's records are built and held once whatever the number of its operations."""

from __future__ import annotations

from dataclasses import replace

from customers_spec.api import Api
from customers_spec.model import SortKey, SortSpec, Spec
from customers_spec.wire import SortGrammar
from mockserver.engine.store import store_key


def store_specs(api: Api) -> dict[str, Spec]:
    """Per store (``store_key``), the spec it is built for: a list's own spec when it is alone on its collection
    (the very object, so builders keyed on it see the operation's spec), else the lists merged."""
    groups: dict[str, list[Spec]] = {}
    for spec in api.lists:
        groups.setdefault(store_key(spec), []).append(spec)
    found = {key: specs[0] if len(specs) == 1 else merged(specs) for key, specs in groups.items()}
    listed = {spec.collection.name for spec in found.values()}
    for item in api.items:  # an item whose collection no list serves: a store of its own, ordered by the id
        collection = item.collection
        if collection.name not in listed and api.lists:
            grammar = SortGrammar(parameter="", fields=(), separator=",", directions={"1": False, "-1": True})
            spec = replace(
                api.lists[0],
                path=item.operation.path,
                parameters=item.operation.parameters,
                filters={},
                field_types=collection.field_types,
                sort=SortSpec(grammar=grammar, default=(), tie_breaker=SortKey(collection.id_field)),
                collection=collection,
                parent=None,
            )
            found[store_key(spec)] = spec
            listed.add(collection.name)
    return found


def merged(specs: list[Spec]) -> Spec:
    """The first spec with every filter of all (each under its operation's name) and every sortable field."""
    first = specs[0]
    filters = {f"{spec.operation_id} {name}": rule for spec in specs for name, rule in spec.filters.items()}
    fields = tuple(dict.fromkeys(path for spec in specs for path in spec.sort.fields))
    sort = replace(first.sort, grammar=replace(first.sort.grammar, fields=fields))
    return replace(first, filters=filters, sort=sort)
