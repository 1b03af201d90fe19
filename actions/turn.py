"""What an answer function gets (a `Turn`) and what it returns (a `Reply`).

Answer functions (`actions/answers/`) are pure apart from the retriever they are given: they
never see the Rasa tracker or dispatcher, so they can be tested directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actions.context import Context, Update
from actions.deps import RetrieverLike
from actions.formatting import Button
from index.domain import Knowledge

if TYPE_CHECKING:
    from index.analysis import Analysis


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    text: str  # the words as the user wrote them (the value may be a synonym's target)


@dataclass(frozen=True)
class Message:
    text: str  # cleaned user text (no markup)
    intent: str = ""
    entities: tuple[Entity, ...] = ()

    def values(self, entity: str) -> list[str]:
        return list(dict.fromkeys(e.value for e in self.entities if e.entity == entity and e.value))

    def spans(self, entity: str) -> list[str]:
        return list(dict.fromkeys(e.text for e in self.entities if e.entity == entity and e.text))

    @classmethod
    def from_parse(cls, text: str, parse: dict[str, Any]) -> Message:
        """From a Rasa parse result (`tracker.latest_message`)."""
        raw_text = parse.get("text") or ""
        entities = []
        for e in parse.get("entities") or []:
            if not isinstance(e, dict) or not e.get("entity") or e.get("value") is None:
                continue
            start, end = e.get("start"), e.get("end")
            span = raw_text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
            entities.append(Entity(str(e["entity"]), str(e["value"]), span or str(e["value"])))
        intent = (parse.get("intent") or {}).get("name") or ""
        return cls(text=text, intent=intent, entities=tuple(_dedupe(entities)))


def _dedupe(entities: list[Entity]) -> list[Entity]:
    return list(dict.fromkeys(entities))


@dataclass(frozen=True)
class Turn:
    message: Message
    context: Context
    language: str
    provider: Callable[[], RetrieverLike]
    """returns the retriever; called only by answers that need it (small talk does not)"""
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def retriever(self) -> RetrieverLike:
        return self.provider()

    @property
    def analysis(self) -> Analysis:
        """The one analysis of this turn's text (the retriever caches it per text)."""
        return self.retriever.analyse(self.message.text)

    @property
    def knowledge(self) -> Knowledge:
        return self.retriever.knowledge


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    update: Update = field(default_factory=Update)
    custom: dict[str, Any] | None = None  # a picture for the widget (the timeline)

    def say(self, text: str) -> Reply:
        if text:
            self.texts.append(text)
        return self
