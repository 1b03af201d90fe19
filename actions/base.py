"""The one Rasa action of every answer: tracker in, messages and slot events out.

A turn goes one way: the message is cleaned (`actions.inputs`) and refused politely when it is
too long, markup or empty; it is understood once into a `Question` (`understanding.read`);
the answer of its kind is looked up in one table (`actions.answers.ANSWERS`); the reply is
sent. Any exception becomes a polite apology: the user never sees an error.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps, inputs
from actions.answers import answer, talk
from actions.turn import Reply, Turn
from index.language import detect
from understanding.read import understand
from understanding.state import Context

logger = logging.getLogger(__name__)


def respond(parse: dict[str, Any], context: Context, retriever: Any) -> tuple[Any, Reply]:
    """The question of a parsed message and the reply to it (the question is None when the
    message was refused before it was read)."""
    raw = str(parse.get("text") or "")
    text = inputs.clean(raw)
    language = detect(text, context.language)
    if inputs.too_long(raw):
        return None, talk.too_long(language, inputs.MAX_LENGTH)
    if inputs.has_markup(raw):
        return None, talk.markup(language)
    if not text:
        return None, talk.empty(language)
    question = understand({**parse, "text": text}, context, retriever)
    return question, answer(Turn(question, context, retriever))


class AnswerAction(Action):
    """`action_answer`: every intent's action (bot/data/rules.yml)."""

    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        context = Context.from_slots(tracker.current_slot_values())
        parse = dict(tracker.latest_message or {})
        language, question = context.language, None
        try:
            question, reply = respond(parse, context, deps.get_retriever())
            if question is not None:
                language = question.language
        except Exception:
            logger.exception(
                "action_answer failed on a message of %d characters",
                len(str(parse.get("text") or "")),
            )
            language = detect(str(parse.get("text") or ""), context.language)
            reply = talk.error(language)
        send(dispatcher, reply)
        events = [SlotSet("language", language)]
        if question is not None:
            events.append(SlotSet("last_kind", question.kind))
        return [*events, *reply.update.events()]


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """One message per text; the buttons go with the last one. Every message carries the
    reply's kind (stored with the conversation, read by the editors' report; not shown)."""
    texts = reply.texts or [""]
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        dispatcher.utter_message(
            text=text,
            buttons=reply.buttons if last and reply.buttons else None,
            reply_kind=reply.kind,
        )
    if reply.custom:  # after the text, which states the same facts for every channel
        dispatcher.utter_message(json_message=reply.custom, reply_kind=reply.kind)
