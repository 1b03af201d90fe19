"""Fixtures of the Matrix tests (run in .venv-channels): a real Synapse homeserver on
127.0.0.1, registered users, and the bridge as a subprocess."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

MISSING = [name for name in ("nio", "synapse") if importlib.util.find_spec(name) is None]
if MISSING and not os.environ.get("CI"):
    # .venv has neither: these tests belong to .venv-channels (see docs/messengers.md).
    collect_ignore_glob = ["test_*.py"]
elif MISSING:
    raise pytest.UsageError(
        f"tests/channels need {' and '.join(MISSING)} (matrix-nio, matrix-synapse): run them "
        "with .venv-channels/bin/python (`make install-channels`); CI is set, so no skip"
    )
else:
    from tests.channels.matrix_harness import (
        PYTHON,
        ROOT,
        BridgeProcess,
        StartBridge,
        Synapse,
        User,
        _stop_process,
    )


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    server = Synapse.configure(tmp_path_factory.mktemp("synapse"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def users(synapse: Synapse) -> dict[str, User]:
    return {
        "bot": synapse.register("assistent", "bot-password-1"),
        "citizen": synapse.register("buergerin", "citizen-password-1"),
        "second": synapse.register("buerger", "citizen-password-2"),
    }


@pytest.fixture
def start_bridge(synapse: Synapse, users: dict[str, User], tmp_path: Path) -> Iterator[StartBridge]:
    """Start `python -m channels.matrix_bridge` as the bot user; stopped after the test."""
    started: list[BridgeProcess] = []

    def start(rest_url: str, **extra_env: str) -> BridgeProcess:
        log_path = tmp_path / f"bridge-{len(started)}.log"
        env = {
            **os.environ,
            "MATRIX_HOMESERVER": synapse.url,
            "MATRIX_USER": users["bot"].user_id,
            "MATRIX_PASSWORD": users["bot"].password,
            "RASA_REST_URL": rest_url,
            "RASA_TIMEOUT": "60",
            "MATRIX_BRIDGE_LOG_LEVEL": "DEBUG",
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        if "MATRIX_ACCESS_TOKEN" in extra_env:
            env.pop("MATRIX_PASSWORD")
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [PYTHON, "-m", "channels.matrix_bridge"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        bridge = BridgeProcess(process, log_path)
        started.append(bridge)
        bridge.wait_for_log("Matrix bridge ready")
        return bridge

    try:
        yield start
    finally:
        for bridge in started:
            bridge.stop(signal.SIGINT)
            _stop_process(bridge.process, grace=2)
