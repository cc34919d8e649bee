"""The routes of the spec's writes: a create (201 with ``Location``), a replace, an update (JSON Merge Patch) and
a delete (204), each answered once the write is in the log every worker reads (``mockserver.state``), so the next
request of any kind, in any worker, sees it. A body is checked against the operation's schema (a 400 naming
each JSON path), an unknown id is a 404, a broken uniqueness rule a 409, a body of an undeclared type a 415."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from flask import Flask, Response, request

from customers_spec.model import Spec
from customers_spec.schemas import SchemaError, schema_for_value
from customers_spec.values import get_path
from customers_spec.writes import WriteSpec
from mockserver.config import Config
from mockserver.http.api import add_routes
from mockserver.http.guard import Guard
from mockserver.http.live import tenant
from mockserver.http.params import PathParameters
from mockserver.http.prefer import APPLIED_HEADER
from mockserver.http.problems import InvalidParameter, problem_response
from mockserver.state.journal import Entry
from mockserver.state.records import Shaper, Uniques, WriteRefused
from mockserver.state.tenants import State, TenantView


def register_write(
    app: Flask,
    write: WriteSpec,
    spec: Spec,
    config: Config,
    state: State,
    *,
    id_schema: Mapping[str, Any],
    location: Callable[[str], str] | None,
    dependents: Sequence[tuple[str, str]] = (),
) -> None:
    """Add a write operation's routes. ``spec``: a list's spec (whose document the body is checked against);
    ``location``: the path of the collection's item by id (the ``Location`` of a create); ``dependents``:
    (collection, path) of the records that name this collection's (a site's customer), deleted with it."""
    operation = write.operation
    raw_operation = spec.document["paths"][operation.path][operation.method]
    guard = Guard(spec.document, raw_operation, spec.api_key_header, config)
    shaper = None
    if write.body_schema is not None:
        shaper = Shaper(write, schema_for_value(spec, write.body_schema), id_schema)
    collection, id_field = write.collection.name, write.collection.id_field
    in_path = [parameter for parameter in operation.parameters.values() if parameter.location == "path"]
    path_values = PathParameters(spec, in_path, filtering=False) if in_path else None

    def write_view(**values: str) -> Response:
        applied, forced = guard.enter()
        if forced is not None:
            return forced
        if path_values is not None:
            path_values.read(values)  # a malformed id is a 400 naming its parameter, as the item's is
        record_id = values.get(write.id_parameter or "", "")
        body = None if shaper is None else _body(write)
        if isinstance(body, Response):
            return body

        def change(view: TenantView) -> list[Entry]:
            records = view.records.setdefault(collection, {})
            previous = records.get(record_id) if write.kind != "create" else None
            if write.kind != "create" and previous is None:
                raise WriteRefused(404, f"No record of {collection} has the {id_field} {record_id}.")
            if shaper is None:  # a delete, and the records that name it with it
                gone = [(name, key) for name, path in dependents for key in _naming(view, name, path, record_id)]
                return [(collection, record_id, None), *((name, key, None) for name, key in gone)]
            made = shaper.record(body, previous, view.uniques.get(collection) or Uniques({}, {}))
            return [(collection, str(made.get(id_field)), orjson.dumps(made))]

        try:
            entries = state.write(tenant(), change)
        except WriteRefused as refused:
            return _refused(refused)
        headers = {APPLIED_HEADER: ", ".join(applied)} if applied else {}
        if shaper is None:
            emptied = Response(status=write.status, headers=headers)
            del emptied.headers["Content-Type"]  # no body to describe
            return emptied
        made_id, made = entries[0][1], entries[0][2] or b""
        if write.kind == "create" and location is not None:
            headers["Location"] = location(made_id)
        return Response(made, status=write.status, headers=headers, mimetype="application/json")

    spellings = [str(path) for path in raw_operation.get("x-also-at", [])]
    add_routes(app, operation.method, operation.path, spellings, f"{write.kind} {operation.operation_id}", write_view)


def _body(write: WriteSpec) -> Any:
    """The request's JSON body, or the problem answering it (415 for an undeclared type, 400 for no JSON)."""
    if request.mimetype not in write.media_types:
        accepted = ", ".join(write.media_types)
        return problem_response(415, f"The body must be sent as {accepted}, not {request.mimetype or 'nothing'}.")
    try:
        return orjson.loads(request.get_data())
    except orjson.JSONDecodeError as exc:
        error = SchemaError("$", "", "json", f"is not JSON: {exc}")
        return _refused(WriteRefused(400, "The body is not JSON.", (error,)))


def _refused(refused: WriteRefused) -> Response:
    errors = [InvalidParameter(error.path, error.human or error.message, "body") for error in refused.errors]
    return problem_response(refused.status, refused.detail, errors or None)


def _naming(view: TenantView, collection: str, path: str, record_id: str) -> list[str]:
    records = view.records.get(collection, {})
    return [key for key, record in records.items() if get_path(record, path) == record_id]
