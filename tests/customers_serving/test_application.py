"""Gunicorn's settings for an app built in the master: shared defaults, the listener's, then the caller's."""

from __future__ import annotations

from typing import Any

import pytest

from customers_serving import listening
from customers_serving.application import PreloadedApplication


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [])
    return [b"ok"]


@pytest.mark.parametrize("balanced", [True, False])
def test_the_app_is_preloaded_quietly_on_the_listener(balanced: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listening, "BALANCED", balanced)
    listener = listening.bind("127.0.0.1", 0)
    try:
        served = PreloadedApplication(app, listener, {"workers": 3, "loglevel": "info"})
        assert served.load() is app  # the very object built here: workers fork with its state
        assert served.cfg.preload_app is True and served.cfg.accesslog is None and served.cfg.errorlog == "-"
        assert served.cfg.bind == [listening.gunicorn_address(listener)] and served.cfg.reuse_port is balanced
        assert served.cfg.workers == 3 and served.cfg.loglevel == "info"  # the caller's settings win
    finally:
        listener.close()
