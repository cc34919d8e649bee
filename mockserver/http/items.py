"""The routes of the spec's item-by-id operations: the record with that id, the very bytes the list's page holds
(sliced from the store's one buffer, never serialized again); an unknown id a 404 problem, a malformed one a 400
naming the parameter."""

from __future__ import annotations

from flask import Flask, Response

from customers_spec.api import ItemSpec
from customers_spec.model import Spec
from mockserver.config import Config
from mockserver.engine.store import CollectionStore, store_key
from mockserver.http.api import add_routes
from mockserver.http.guard import Guard
from mockserver.http.live import Live
from mockserver.http.params import PathParameters
from mockserver.http.prefer import APPLIED_HEADER
from mockserver.http.problems import problem_response


def register_item(
    app: Flask, item: ItemSpec, spec: Spec, config: Config, store: CollectionStore, live: Live | None = None
) -> None:
    """Add an item operation's routes, answered from ``store`` (its collection's; ``spec``: the store's spec, whose
    document the id's schema is checked against), or from the request's tenant's store (``live``)."""
    operation = item.operation
    document = spec.document
    raw_operation = document["paths"][operation.path][operation.method]
    guard = Guard(document, raw_operation, spec.api_key_header, config)
    path_values = PathParameters(spec, [operation.parameters[name] for name in spec_path_names(item)], filtering=False)
    id_field, name = item.collection.id_field, item.id_parameter
    key = store_key(spec)
    store.lookup(id_field)  # made now, before the workers fork, so that they share it

    def item_view(**values: str) -> Response:
        applied, forced = guard.enter()
        if forced is not None:
            return forced
        path_values.read(values)  # a malformed id is a 400 naming its parameter
        current = store if live is None else live.stores()[key]
        position = current.position(id_field, values[name])
        if position is None:
            detail = f"No record of {item.collection.name} has the {id_field} {values[name]}."
            return problem_response(item.not_found_status, detail)
        headers = {APPLIED_HEADER: ", ".join(applied)} if applied else None
        return Response(current.body(position), headers=headers, mimetype="application/json")

    spellings = [str(path) for path in raw_operation.get("x-also-at", [])]
    add_routes(app, operation.method, operation.path, spellings, f"item {operation.operation_id}", item_view)


def spec_path_names(item: ItemSpec) -> list[str]:
    """The item operation's path parameters, in the order its template writes them."""
    return [name for name, parameter in item.operation.parameters.items() if parameter.location == "path"]
