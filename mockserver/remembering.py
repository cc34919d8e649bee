"""The mock's memory, wired where the spec declares writes: the write log (``--state FILE``, else a file in a
temporary directory removed when the server stops), the state every request's stores come from, each write's
route, and the reset endpoint. Without a write in the spec there is no log and no per-request read of it."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from customers_spec import Api, Spec
from customers_spec.errors import ConfigError
from customers_spec.parsing import resolve
from customers_spec.writes import WriteSpec
from mockserver.config import Config
from mockserver.engine.store import CollectionStore
from mockserver.http.admin import register_admin
from mockserver.http.live import Live
from mockserver.http.writes import register_write
from mockserver.state.journal import Journal
from mockserver.state.tenants import State


def live_stores(
    api: Api, config: Config, specs: Mapping[str, Spec], stores: Mapping[str, CollectionStore], keys: Mapping[str, str]
) -> tuple[Live, State | None]:
    """Where each request's stores come from (``keys``: the store key of each collection), and the state behind
    them (None when the spec declares no write the stores can hold)."""
    if not any(write.collection.name in keys for write in api.writes):
        if config.state is not None:
            raise ConfigError(
                "--state keeps the writes of a spec that declares some (POST on a list's path, PUT/PATCH/DELETE on"
                " an item's); this one declares none: e.g. --spec examples/customers-and-sites.yaml"
            )
        return Live(None, stores, keys), None
    journal = Journal(config.state if config.state is not None else _scratch_file())
    if config.state is not None:
        journal.bind_dataset(_fingerprint(config))
    journal.close()  # opened again by each process and thread that reads it
    rules = {write.collection.name: write.unique for write in api.writes}
    state = State(journal, specs, stores, rules)
    return Live(state, stores, keys), state


def register_writes(
    app: Flask, api: Api, config: Config, specs: Mapping[str, Spec], keys: Mapping[str, str], state: State
) -> set[int]:
    """Every write's route and the reset endpoint; the ids of the operations served as writes."""
    served: set[int] = set()
    for write in api.writes:
        name = write.collection.name
        if name not in keys:
            continue
        spec = specs[keys[name]]
        item = next((each for each in api.items if each.collection.name == name), None)
        register_write(
            app,
            write,
            spec,
            config,
            state,
            id_schema=_id_schema(api, write),
            location=item.url_path if item is not None else None,
            dependents=_dependents(api, name),
        )
        served.add(id(write.operation))
    register_admin(app, state)
    return served


def _id_schema(api: Api, write: WriteSpec) -> dict:
    schema = resolve(api.document, api.document["components"]["schemas"][write.collection.schema])
    found = (schema.get("properties") or {}).get(write.collection.id_field)
    return found if isinstance(found, dict) else {}


def _dependents(api: Api, name: str) -> list[tuple[str, str]]:
    """(collection, path) of the records whose sub-collection names a record of ``name`` (a site's customer)."""
    found: dict[tuple[str, str], None] = {}
    for spec in api.lists:
        parent = spec.parent
        if parent is not None and parent.collection.name == name and parent.parameter in spec.filters:
            for clause in spec.filters[parent.parameter].clauses:
                found[(spec.collection.name, clause.path)] = None
    return list(found)


def _fingerprint(config: Config) -> str:
    if config.count is not None:
        return f"--count {config.count} --seed {config.seed}"
    return f"--data {config.data.resolve() if config.data is not None else 'shipped'}"


def _scratch_file() -> Path:
    """A state file that lives as long as the server: removed at exit by the process that made it (the gunicorn
    master), never by a worker leaving."""
    directory = tempfile.mkdtemp(prefix="mockserver-state-")
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)
    return Path(directory) / "state.sqlite"
