"""The one Rasa action class all answers share: tracker in, messages and slot events out.

It cleans the user's text, detects the language, refuses over-long or HTML-laden input
politely (without touching the context), builds a `Turn`, calls the answer function and turns
the `Reply` into messages and `SlotSet` events.
Any exception becomes a polite apology: the user never sees an error.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps, inputs
from actions.answers import talk
from actions.context import Context
from actions.turn import Message, Reply, Turn
from index.language import detect

logger = logging.getLogger(__name__)


class AnswerAction(Action, ABC):
    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def answer(self, turn: Turn) -> Reply: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        context = Context.from_slots(tracker.current_slot_values())
        parse = tracker.latest_message or {}
        raw = str(parse.get("text") or "")
        text = inputs.clean(raw)
        language = detect(text, context.language)
        try:
            if inputs.too_long(raw):
                reply = talk.too_long(language, inputs.MAX_LENGTH)
            elif inputs.has_markup(raw):
                reply = talk.markup(language)
            elif not text:
                reply = talk.empty(language)
            else:
                message = Message.from_parse(text, parse)
                turn = Turn(message, context, language, deps.turn_provider())
                reply = self.answer(turn)
        except Exception:
            logger.exception("%s failed (message of %d characters)", self.name(), len(raw))
            reply = talk.error(language)
        send(dispatcher, reply)
        return [SlotSet("language", language), *reply.update.events()]


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """One message per text; the buttons go with the last one."""
    texts = reply.texts or [""]
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        dispatcher.utter_message(
            text=text, buttons=reply.buttons if last and reply.buttons else None
        )
    if reply.custom:  # after the text, which states the same facts for every channel
        dispatcher.utter_message(json_message=reply.custom)
