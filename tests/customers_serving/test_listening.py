"""Binding before anything forks: a free port is reserved, a taken port or a bad host is one clear line."""

from __future__ import annotations

import socket

import pytest

from customers_serving import listening
from customers_spec.errors import StartupError


def test_port_zero_picks_a_free_port() -> None:
    listener = listening.bind("127.0.0.1", 0)
    try:
        host, port = listener.getsockname()[:2]
        assert host == "127.0.0.1" and port > 0
    finally:
        listener.close()


def test_a_port_another_server_holds_is_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as other:
        port = other.getsockname()[1]
        with pytest.raises(StartupError, match=f"^cannot listen on 127.0.0.1:{port}: [^\n]+$"):
            listening.bind("127.0.0.1", port)


def test_a_host_that_does_not_resolve_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*args: object, **kwargs: object) -> None:  # no lookup leaves the machine
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(listening.socket, "getaddrinfo", unknown)
    with pytest.raises(StartupError, match=r"^cannot resolve host 'staging\.invalid': Name or service not known$"):
        listening.bind("staging.invalid", 0)


@pytest.mark.parametrize("balanced", [True, False])
def test_gunicorn_binds_the_reserved_address_or_the_shared_socket(
    balanced: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listening, "BALANCED", balanced)
    listener = listening.bind("127.0.0.1", 0)
    try:
        port = listener.getsockname()[1]
        options = listening.listening_options(listener)
        expected = f"127.0.0.1:{port}" if balanced else f"fd://{listener.fileno()}"
        assert options == {"bind": [expected], "reuse_port": balanced}
        assert listener.get_inheritable() is not balanced  # the shared socket passes to gunicorn's workers
    finally:
        listener.close()


class BoundAt:
    """A stand-in for a bound socket: only its address is read."""

    def __init__(self, *address: object) -> None:
        self.address = address

    def getsockname(self) -> tuple[object, ...]:
        return self.address


def test_an_ipv6_address_is_bracketed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listening, "BALANCED", True)
    assert listening.gunicorn_address(BoundAt("::1", 8080, 0, 0)) == "[::1]:8080"  # type: ignore[arg-type]
    assert listening.gunicorn_address(BoundAt("127.0.0.1", 8080)) == "127.0.0.1:8080"  # type: ignore[arg-type]
