"""What the proxy tests share: the proxy in front of a served upstream, and the kit's traffic sent through it.

The proxy app runs in-process on a real socket (werkzeug in a thread), in front of a real upstream, so every
test sees what a client sees.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from contract_tests.judging.context import Context
from contract_tests.judging.selection import select_checks
from contract_tests.proxy.forwarding import ProxyApp
from contract_tests.proxy.judge import ProxyJudge, passive_checks
from contract_tests.running.setup import http_context
from customers_spec import Spec
from customers_spec.datafile import Dataset
from tests.contract_tests.conftest import API_KEY, serving

KEY = {"x-API-Key": API_KEY}


@contextlib.contextmanager
def proxied(upstream: Any, spec: Spec, **options: Any) -> Iterator[tuple[str, str, ProxyJudge]]:
    """The upstream app served, the proxy in front of it: (proxy URL, upstream URL, the proxy's judge)."""
    with serving(upstream) as upstream_url:
        judge = ProxyJudge(spec, upstream_url, passive_checks(select_checks()))
        with serving(ProxyApp(judge, **options)) as proxy_url:
            yield proxy_url, upstream_url, judge


def through(proxy_url: str, spec: Spec, dataset: Dataset) -> Context:
    """A kit context whose generated requests all go through the proxy."""
    ctx = http_context(proxy_url, API_KEY, spec=spec, rejects_invalid_keys=True)
    ctx.load_sample({"objects": dataset.objects})
    return ctx
