"""What the options table's parsed values become for a run: the runner's options, the gateway, the secrets
every output masks, and the loaded context. The CLI and the pytest plugin both start a run from here, so a value
means the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract_tests.judging.context import Context
from contract_tests.judging.selection import comma_separated
from contract_tests.reporting.redaction import KEY_VARIABLE
from contract_tests.running.profiles import PROFILES
from contract_tests.running.records import Options
from contract_tests.running.setup import http_context
from contract_tests.sending.gateway import Gateway, gateway_of
from customers_spec import Api, Spec, load_api
from customers_spec.errors import KitError


def run_options(values: Mapping[str, Any]) -> Options:
    """The runner's options from the table's values."""
    return Options(
        max_examples=int(values["max_examples"]),
        seed=values["seed"],
        profile=PROFILES[str(values["hypothesis_profile"])],
        shrink=not values["no_shrink"],
        workers=int(values["workers"]),
        max_time=values["max_time"],
        max_failures=values["max_failures"],
    )


def gateway(values: Mapping[str, Any], spec: Spec) -> Gateway:
    """The gateway's headers, bearer token and TLS files of the table's values (raises ``KitError``)."""
    return gateway_of(
        values["header"] or (),
        key_header=spec.api_key_header,
        bearer=values["bearer"],
        client_cert=values["client_cert"],
        client_key=values["client_key"],
        ca_bundle=values["ca_bundle"],
    )


def secrets(values: Mapping[str, Any]) -> dict[str, str]:
    """Every secret of the table's values with what reports write in its place (``$API_KEY``, ``$X_TENANT``)."""
    found = Gateway(tuple(values["header"] or ()), values["bearer"]).secrets()
    if values["api_key"]:
        found[str(values["api_key"])] = KEY_VARIABLE
    return found


def open_context(values: Mapping[str, Any], spec: Spec) -> Context:
    """The loaded context for the table's values (raises ``KitError``, ``Unreachable`` included)."""
    return http_context(
        str(values["base_url"]),
        str(values["api_key"] or ""),
        spec=spec,
        timeout=float(values["timeout"]),
        rejects_invalid_keys=bool(values["invalid_api_key_rejected"]),
        data=values["data"],
        rate_limit=values["rate_limit"],
        workers=int(values["workers"]),
        link_origin=values["link_origin"],
        gateway=gateway(values, spec),
    )


def chosen_api(values: Mapping[str, Any]) -> tuple[Api, Api]:
    """The spec's whole API and the part of it ``--operations``/``--exclude-operations`` select (raises
    ``KitError`` for a name that matches no operation, or a selection that leaves none)."""
    api = load_api(values["spec"])
    include, exclude = comma_separated(values["operations"]), comma_separated(values["exclude_operations"])
    try:
        selected = api.selected(include, exclude)
    except KeyError as exc:
        raise KitError(f"--operations/--exclude-operations: {exc.args[0]}") from None
    if not selected.operations:
        raise KitError("--operations/--exclude-operations leave no operation to check")
    if not api.lists:
        raise KitError("the spec declares no list operation: the kit reads its data from one")
    return api, selected
