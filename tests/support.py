"""Helpers shared by the test layers that start real servers (both environments import it)."""

from __future__ import annotations

import os
import socket

import pytest

from service.stack import Ports, StackError, latest_model


def require_model() -> None:
    """Skip when no model is trained; in CI (`make test` trains first) fail instead."""
    try:
        latest_model()
    except StackError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def require_free_ports(*ports: int, purpose: str) -> None:
    busy = [p for p in ports if not port_free(p)]
    assert not busy, f"ports {busy} are in use; {purpose} needs them"


def ports_for(rasa: int, actions: int, web: int) -> Ports:
    """A test stack's ports, shifted by `TEST_PORT_OFFSET` so that two checkouts can run
    their server tests side by side on one machine (default 0: the ports as written)."""
    offset = int(os.environ.get("TEST_PORT_OFFSET", "0"))
    return Ports(rasa=rasa + offset, actions=actions + offset, web=web + offset)
