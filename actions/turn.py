"""What an answer function gets (a `Turn`) and what it returns (a `Reply`).

Answer functions (`actions/answers/`) read the turn's `Question` — never the words of the
message — and the conversation so far; they never see the Rasa tracker or dispatcher, so they
can be tested directly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from actions.context import Update
from actions.formatting import Button
from index.domain import Knowledge
from understanding.question import Question
from understanding.state import Context

ReplyKind = Literal["answer", "unsure", "none", "ask", "talk", "refusal"]
"""What a reply does, as reports and evaluations read it: answers from the documents, offers
candidates ("meinen Sie …?"), says the documents do not have it, asks back which one, small
talk, or refuses the input (too long, markup, empty)."""


@dataclass(frozen=True)
class Turn:
    question: Question
    context: Context
    retriever: Any  # index.retriever.Retriever (or a test's stand-in)
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def knowledge(self) -> Knowledge:
        return self.retriever.knowledge

    @property
    def language(self) -> str:
        return self.question.language


@dataclass
class Reply:
    kind: ReplyKind = "answer"
    texts: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    update: Update = field(default_factory=Update)
    custom: dict[str, Any] | None = None  # a picture for the widget (the timeline)

    def say(self, text: str) -> Reply:
        if text:
            self.texts.append(text)
        return self
