"""Run the real `action_answer` turn by turn, as the Rasa server would.

A test says what the NLU learned of a message — `chat.say(text, kind, facets=(...))` — and
everything else is computed as in production: the parse result carries the name matches, the
language and the sentence embedding of the pipeline's own components (tests/parses.py); the
action runs with a rasa_sdk `Tracker` built from the slots so far and a `CollectingDispatcher`;
its `SlotSet` events become the next turn's slots. `chat.press(answer, title_part)` sends a
button's payload as Rasa's `RegexMessageHandler` parses it (`/intent{json}` → intent and
entities). Kinds the rules answer with a domain response (greet, goodbye, thank,
bot_capabilities) never reach the action: saying one here is a mistake in the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AnswerAction
from tests.parses import ROOT, button_parse, nlu_parse


@lru_cache(maxsize=1)
def rules() -> dict[str, str]:
    """intent → action, as bot/data/rules.yml maps them."""
    data = yaml.safe_load((ROOT / "bot" / "data" / "rules.yml").read_text(encoding="utf-8"))
    return {r["steps"][0]["intent"]: r["steps"][1]["action"] for r in data["rules"]}


@dataclass
class Answer:
    parse: dict[str, Any]
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    @property
    def titles(self) -> list[str]:
        return [b["title"] for b in self.buttons]

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for b in self.buttons]

    @property
    def kind(self) -> str:
        """The reply's kind (`actions.turn.ReplyKind`), which every message carries."""
        kinds = {m.get("reply_kind") for m in self.messages}
        assert len(kinds) == 1, kinds
        return str(kinds.pop())

    @property
    def pictures(self) -> list[dict[str, Any]]:
        return [m["custom"] for m in self.messages if m.get("custom")]

    def slot(self, name: str) -> Any:
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e["name"] == name]
        return values[-1] if values else None

    def sets(self, name: str) -> bool:
        return any(e.get("event") == "slot" and e["name"] == name for e in self.events)

    def button(self, title_part: str) -> dict[str, Any]:
        found = [b for b in self.buttons if title_part.lower() in b["title"].lower()]
        assert found, f"no button with {title_part!r} among {self.titles}"
        return found[0]


@dataclass
class Conversation:
    retriever: Any
    slots: dict[str, Any] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)

    def say(
        self,
        text: str,
        kind: str,
        facets: Iterable[str] | Mapping[str, float] = (),
        **parse: Any,
    ) -> Answer:
        """The user types `text`; the NLU reads it as `kind` with `facets` (see
        `tests.parses.nlu_parse` for `confidence`, `ranking`, `embed`)."""
        return self.send(nlu_parse(text, kind, facets, retriever=self.retriever, **parse))

    def press(self, answer: Answer, title_part: str) -> Answer:
        """Press the button of `answer` whose title contains `title_part`."""
        return self.send_payload(answer.button(title_part)["payload"])

    def send_payload(self, payload: str) -> Answer:
        """A button payload ("/intent{json}"), parsed as Rasa parses it."""
        return self.send(button_parse(payload))

    def send(self, parse: dict[str, Any]) -> Answer:
        intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
        action = rules().get(intent)
        assert action == "action_answer", (
            f"the rules answer {intent!r} with {action!r}, not the action"
        )
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
        events = asyncio.run(AnswerAction().run(dispatcher, tracker, {}))
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        answer = Answer(parse, dispatcher.messages, events)
        self.answers.append(answer)
        return answer
