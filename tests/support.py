"""Helpers shared by the test layers that start real servers (both environments import it).

A test whose tool or artefact is missing (Chromium, Synapse, a trained model, the index, a
Python package) skips on a developer's machine, but FAILS when the environment variable `CI`
is set: `make test` installs and builds everything first, so in CI a missing piece is a
broken set-up, never a reason for a green run.
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

from service.stack import ROOT, Ports, StackError, latest_model

INDEX_STORE = ROOT / "index" / "store"


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def unavailable(reason: str) -> NoReturn:
    """Skip the test because `reason`; with `CI` set, fail with that message instead."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_model() -> Path:
    """The latest trained model; without one, `unavailable` (run `make train`)."""
    try:
        return latest_model()
    except StackError as exc:
        unavailable(str(exc))


def require_index() -> None:
    """A built index (index/store/<backend>/manifest.json); without one, `unavailable`."""
    if not any(INDEX_STORE.glob("*/manifest.json")):
        unavailable(f"no built index in {INDEX_STORE}: run `make index` first")


def require_module(name: str, hint: str) -> ModuleType:
    """`importlib.import_module(name)`, or `unavailable` naming how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        unavailable(f"Python package {name!r} missing ({exc}): {hint}")


def chromium_path() -> str | None:
    """Chromium as `make browser` finds it: `CHROMIUM_BIN` if set, else `chromium` on PATH."""
    configured = os.environ.get("CHROMIUM_BIN")
    if configured:
        return shutil.which(configured)
    return shutil.which("chromium")


def require_chromium() -> str:
    found = chromium_path()
    if found is None:
        wanted = os.environ.get("CHROMIUM_BIN") or "chromium on PATH"
        unavailable(f"Chromium not found ({wanted}): run `make browser` or set CHROMIUM_BIN")
    return found


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def require_free_ports(*ports: int, purpose: str) -> None:
    busy = [p for p in ports if not port_free(p)]
    assert not busy, f"ports {busy} are in use; {purpose} needs them"


def port_offset() -> int:
    """`TEST_PORT_OFFSET` (default 0): lets two checkouts run server tests side by side."""
    return int(os.environ.get("TEST_PORT_OFFSET", "0"))


def ports_for(rasa: int, actions: int, web: int) -> Ports:
    """A test stack's ports, shifted by `TEST_PORT_OFFSET`."""
    offset = port_offset()
    return Ports(rasa=rasa + offset, actions=actions + offset, web=web + offset)
