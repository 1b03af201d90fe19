"""Operations fixtures: a single-node stack on its own SQLite tracker store, restarted once.

The conversation below is held in two halves, with every process of the stack stopped and
started again in between, so the tests see a store that survived a restart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from service.stack import Stack, send
from tests.support import ports_for, require_free_ports, require_model

PORTS = ports_for(6300, 6301, 6302)


@dataclass(frozen=True)
class Restarted:
    """A conversation held across a restart of the whole stack, and its tracker store."""

    tracker: str
    sender: str
    others: tuple[str, ...]  # two short conversations beside it, for the report
    before: list[list[dict]]  # the bot's messages per turn, before the restart
    after: list[list[dict]]  # … and after it


FIRST_HALF = ("Gibt es ein Projekt zur bemannten Raumfahrt?", "Was macht das Projekt ZEonline?")
SECOND_HALF = ("Und wer ist da der Ansprechpartner?", "Wie lange läuft das?")
# The same unanswerable question in other spelling (counted once, twice), and a greeting.
OTHERS = (("gibt es ein projekt zur bemannten raumfahrt",), ("Hallo",))


def talk(stack: Stack, sender: str, texts: tuple[str, ...]) -> list[list[dict]]:
    return [send(stack.rest_url, sender, text) for text in texts]


@pytest.fixture(scope="session")
def restarted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Restarted]:
    require_model()
    require_free_ports(PORTS.rasa, PORTS.actions, purpose="the operations tests")
    db: Path = tmp_path_factory.mktemp("tracker") / "tracker.db"
    tracker = f"sqlite:///{db}"
    sender, *others = (str(uuid.uuid4()) for _ in range(1 + len(OTHERS)))
    with Stack(ports=PORTS, web=False, tracker=tracker) as stack:
        before = talk(stack, sender, FIRST_HALF)
        for other, texts in zip(others, OTHERS, strict=True):
            talk(stack, other, texts)
    with Stack(ports=PORTS, web=False, tracker=tracker) as stack:
        after = talk(stack, sender, SECOND_HALF)
    yield Restarted(tracker, sender, tuple(others), before, after)
