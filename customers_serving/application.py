"""Gunicorn running an app created in the master, so every worker forks with the app's state already built."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication

from customers_serving.listening import listening_options

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class PreloadedApplication(BaseApplication):  # type: ignore[misc]
    """Gunicorn serving ``app`` on ``listener`` with ``settings`` (gunicorn's own names) on top of the shared
    ones: the app preloaded, no access log, warnings and errors to stderr."""

    def __init__(self, app: WsgiApp, listener: socket.socket, settings: dict[str, Any]) -> None:
        self._app = app
        self._settings = {
            **listening_options(listener),
            "preload_app": True,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            **settings,
        }
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._settings.items():
            self.cfg.set(name, value)

    def load(self) -> WsgiApp:
        return self._app
