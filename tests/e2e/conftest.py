"""End-to-end fixtures: the real action server and Rasa server, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.stack import Stack, new_sender, send
from tests.e2e.chat import Say
from tests.support import ports_for, require_index, require_model


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    require_model()
    require_index()
    with Stack(ports=ports_for(5505, 5555, 8580), web=False) as running:
        yield running


@pytest.fixture
def conversation(stack: Stack) -> Say:
    """A fresh conversation: `say(text)` returns the bot's messages for that turn."""
    sender = new_sender()

    def say(text: str) -> list[dict]:
        return send(stack.rest_url, sender, text)

    return say
