"""Run the real action classes turn by turn, as the Rasa server would.

Each `say` builds a rasa_sdk `Tracker` from the slots so far and the parsed message (intent and
entities given by the test: the NLU is tested separately in tests/rasa), runs the action the
rules map the intent to, collects the messages with a `CollectingDispatcher` and applies the
returned `SlotSet` events for the next turn.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as a
from actions.base import AnswerAction

# intent → action, as in bot/data/rules.yml
ACTIONS: dict[str, type[AnswerAction]] = {
    "greet": a.ActionSmallTalk,
    "goodbye": a.ActionSmallTalk,
    "thank": a.ActionSmallTalk,
    "bot_capabilities": a.ActionSmallTalk,
    "bot_challenge": a.ActionSmallTalk,
    "affirm": a.ActionSmallTalk,
    "deny": a.ActionSmallTalk,
    "out_of_scope": a.ActionOutOfScope,
    "nlu_fallback": a.ActionDefaultFallback,
    "projects_by_topic": a.ActionSearchProjects,
    "project_details": a.ActionProjectDetails,
    "project_contact": a.ActionProjectContact,
    "person_info": a.ActionPersonInfo,
    "project_period": a.ActionProjectPeriod,
    "region_projects": a.ActionRegionProjects,
    "programme_background": a.ActionProgrammeBackground,
    "transferability": a.ActionTransferability,
    "ask_source": a.ActionSource,
    "select_item": a.ActionSelectItem,
    "show_more": a.ActionShowMore,
}


@dataclass
class Answer:
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for b in self.buttons]

    def slot(self, name: str) -> Any:
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e["name"] == name]
        return values[-1] if values else None


@dataclass
class Conversation:
    slots: dict[str, Any] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)

    def say(
        self,
        text: str,
        intent: str,
        entities: list[tuple[str, str]] | list[dict[str, Any]] | None = None,
    ) -> Answer:
        parse = {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [_entity(text, e) for e in entities or []],
        }
        tracker = Tracker(
            sender_id="test",
            slots=dict(self.slots),
            latest_message=parse,
            events=[],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )
        dispatcher = CollectingDispatcher()
        action = ACTIONS[intent]()
        events = asyncio.run(action.run(dispatcher, tracker, {}))
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        answer = Answer(dispatcher.messages, events)
        self.answers.append(answer)
        return answer

    def press(self, answer: Answer, title_part: str) -> Answer:
        """Press the button of `answer` whose title contains `title_part`."""
        button = next(b for b in answer.buttons if title_part.lower() in b["title"].lower())
        return self.say_payload(button["payload"])

    def say_payload(self, payload: str) -> Answer:
        """Send a button payload ("/intent{...}") as Rasa's RegexInterpreter would parse it."""
        import json

        intent, _, raw = payload[1:].partition("{")
        entities = json.loads("{" + raw) if raw else {}
        parsed = [{"entity": k, "value": v} for k, v in entities.items()]
        return self.say(payload, intent, parsed)


def _entity(text: str, entity: tuple[str, str] | dict[str, Any]) -> dict[str, Any]:
    """(entity, words) → a parse entity with offsets; a dict is passed through."""
    if isinstance(entity, dict):
        return entity
    name, words = entity[0], entity[1]
    value = entity[2] if len(entity) > 2 else words  # type: ignore[misc]
    start = text.find(words)
    return {"entity": name, "value": value, "start": start, "end": start + len(words)}
