"""Which stores a request answers from: the start dataset's, or, when the spec declares writes, those of the
request's tenant (``X-Mock-Tenant``, default the one shared tenant) as its writes left them."""

from __future__ import annotations

from collections.abc import Mapping

from flask import request

from mockserver.engine.store import CollectionStore
from mockserver.http.problems import InvalidParameter, InvalidRequest
from mockserver.state.tenants import State, Stores

TENANT_HEADER = "X-Mock-Tenant"
MAX_TENANT_LENGTH = 200


def tenant() -> str:
    """The request's tenant: its ``X-Mock-Tenant`` header ("" without one); a 400 when it is too long."""
    name = request.headers.get(TENANT_HEADER, "")
    if len(name) > MAX_TENANT_LENGTH:
        reason = f"must be at most {MAX_TENANT_LENGTH} characters, got {len(name)}"
        raise InvalidRequest([InvalidParameter(TENANT_HEADER, reason, "header")])
    return name


class Live:
    """The stores of the request's tenant (``state`` None: the spec declares no write, so always ``base``), and the
    store key of each collection (the first list's of it)."""

    def __init__(self, state: State | None, base: Stores, collection_keys: Mapping[str, str]) -> None:
        self.state = state
        self.base = base
        self.collection_keys = dict(collection_keys)

    def stores(self) -> Stores:
        return self.base if self.state is None else self.state.stores(tenant())

    def of_collection(self, stores: Stores, name: str) -> CollectionStore | None:
        key = self.collection_keys.get(name)
        return stores[key] if key is not None else None
