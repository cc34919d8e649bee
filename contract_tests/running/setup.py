"""Setting up a run from plain options: the spec, a transport, a loaded context. Shared by CLI and plugin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from contract_tests.judging.context import Context
from contract_tests.sending.gateway import Gateway
from contract_tests.sending.pacing import PoliteTransport, RateLimit
from contract_tests.sending.transport import HttpTransport, Transport
from customers_spec import Spec, load_spec
from customers_spec.datafile import load_dataset
from customers_spec.errors import KitError


def http_context(
    base_url: str,
    api_key: str,
    *,
    spec: Spec | None = None,
    timeout: float = 10.0,
    rejects_invalid_keys: bool = False,
    data: Path | None = None,
    rate_limit: float | None = None,
    workers: int = 1,
    link_origin: str | None = None,
    gateway: Gateway | None = None,
) -> Context:
    """A context for a live server, its data sample read (raises ``Unreachable`` or ``KitError``).

    Every request, the sample's included, goes through ``PoliteTransport``: at most ``rate_limit`` a second,
    and 429/503 answers with ``Retry-After`` waited out.
    """
    for option, url in (("--base-url", base_url), ("--link-origin", link_origin)):
        if url is not None and not url.startswith(("http://", "https://")):
            raise KitError(f"{option} must be an http:// or https:// URL, not {url!r}")
    spec = spec or load_spec()
    gateway = gateway or Gateway()
    connections = max(10, workers)
    http = HttpTransport(
        base_url, api_key, header=spec.api_key_header, timeout=timeout, connections=connections, gateway=gateway
    )
    transport = PoliteTransport(http, rate_limit=RateLimit(rate_limit) if rate_limit else None)
    related = related_records(spec, data) if data is not None else None
    return loaded_context(
        spec,
        transport,
        rejects_invalid_keys=rejects_invalid_keys,
        related=related,
        link_origin=link_origin,
        shown_headers=gateway.shown(),
    )


def loaded_context(
    spec: Spec,
    transport: Transport,
    *,
    rejects_invalid_keys: bool = False,
    related: Mapping[str, Sequence[dict[str, Any]]] | None = None,
    link_origin: str | None = None,
    shown_headers: tuple[tuple[str, str], ...] = (),
) -> Context:
    """A context whose data sample is read; ``related`` records (a dataset's ``objects``) bias relation filters.

    The transport is made polite (``PoliteTransport``) if it is not yet, so every run counts its requests.
    """
    if not isinstance(transport, PoliteTransport):
        transport = PoliteTransport(transport)
    ctx = Context(
        spec, transport, rejects_invalid_keys=rejects_invalid_keys, link_origin=link_origin, shown_headers=shown_headers
    )
    ctx.load_sample(related)
    return ctx


def related_records(spec: Spec, path: Path) -> dict[str, Sequence[dict[str, Any]]]:
    """The related collections (``objects``) of a dataset file, so relation filters use ids that exist.

    The file is read and checked as ``mockserver serve --data`` reads it (``customers_spec.datafile``): a file
    that is no dataset, or a record that breaks its schema, is a ``DataError`` naming the record and JSON path.
    """
    dataset = load_dataset(path, spec)
    names = {clause.via.collection for rule in spec.filters.values() for clause in rule.clauses if clause.via}
    return {name: list(getattr(dataset, name, [])) for name in names}
