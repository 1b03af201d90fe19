"""End-to-end fixtures: the real action server and Rasa server, started once per session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from service.stack import Ports, Stack, StackError, latest_model, send
from tests.e2e.chat import Say


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    try:
        latest_model()
    except StackError as exc:
        # `make test` trains first, so in CI a missing model is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    with Stack(ports=Ports(rasa=5505, actions=5555, web=8580), web=False) as running:
        yield running


@pytest.fixture
def conversation(stack: Stack) -> Say:
    """A fresh conversation: `say(text)` returns the bot's messages for that turn."""
    sender = f"e2e-{uuid.uuid4().hex[:10]}"

    def say(text: str) -> list[dict]:
        return send(stack.rest_url, sender, text)

    return say
