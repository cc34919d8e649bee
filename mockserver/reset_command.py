"""``mockserver reset --url URL``: put a running mock back to its start dataset (one tenant, or every tenant),
as an end-to-end suite does before each test; the one endpoint outside the spec's paths (``POST /__mock/reset``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import click

from customers_spec.errors import ConfigError
from mockserver.data_commands import HELP
from mockserver.http.admin import RESET_PATH
from mockserver.http.live import TENANT_HEADER

TIMEOUT_S = 10


@click.command(context_settings=HELP)
@click.option("--url", required=True, help="The mock's base URL, e.g. http://127.0.0.1:3000.")
@click.option("--tenant", default="", help=f"The tenant to reset (its {TENANT_HEADER}; default: the shared one).")
@click.option("--all", "every", is_flag=True, help="Reset every tenant.")
def reset(url: str, tenant: str, every: bool) -> None:
    """Forget the writes made on a running mock: back to the start dataset."""
    target = url.rstrip("/") + RESET_PATH + ("?all=true" if every else "")
    asked = urllib.request.Request(target, method="POST", headers={TENANT_HEADER: tenant} if tenant else {})
    try:
        with urllib.request.urlopen(asked, timeout=TIMEOUT_S) as answer:
            told = json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        exc.close()
        raise ConfigError(f"{target}: answered {exc.code}: is it a mockserver serving a spec with writes?") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ConfigError(f"{target}: cannot reset: {exc}") from exc
    name = "every tenant" if told.get("tenant") == "*" else f"tenant {told.get('tenant')!r}"
    click.echo(f"mockserver: reset {name}: {told.get('forgotten')} writes forgotten", err=True)
