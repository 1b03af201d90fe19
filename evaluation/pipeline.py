"""The assistant in one process, without servers: Rasa's trained NLU, the rules' choice of
action and the real custom actions, turn by turn.

`Assistant.say(text)` parses the text with the trained model (`rasa.core.agent.Agent`), runs
the action that `bot/data/rules.yml` maps the intent to (a button payload is parsed by Rasa's
own `RegexMessageHandler` inside the same call), and applies the action's slot events to the
conversation's state, as the Rasa server would. It is what `make eval-bank` measures with: the
same model, the same actions, no network.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = ROOT / "bot" / "models"
RULES = ROOT / "bot" / "data" / "rules.yml"


def latest_model(directory: Path = MODEL_DIR) -> Path:
    models = sorted(directory.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {directory}: run `make train`")
    return models[-1]


def intent_actions(path: Path = RULES) -> dict[str, str]:
    """intent → action, from the one-step rules of `bot/data/rules.yml`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    for rule in data.get("rules") or ():
        steps = rule.get("steps") or []
        if len(steps) == 2 and "intent" in steps[0] and "action" in steps[1]:
            mapping[steps[0]["intent"]] = steps[1]["action"]
    return mapping


@dataclass
class Said:
    """One turn as the assistant handled it."""

    text: str
    parse: dict[str, Any]
    action: str
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]
    slots_before: dict[str, Any]

    @property
    def reply(self) -> str:
        parts = [str(m.get("text") or "") for m in self.messages]
        parts += [str(b.get("title") or "") for m in self.messages for b in m.get("buttons") or ()]
        return "\n".join(p for p in parts if p)

    def slot(self, name: str, default: Any = None) -> Any:
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e["name"] == name]
        return values[-1] if values else default


@dataclass
class Assistant:
    """A loaded NLU model and the actions; `conversation()` starts a fresh state."""

    agent: Any
    actions: dict[str, Any]
    rules: dict[str, str]
    domain: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, model: Path | None = None) -> Assistant:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's structlog: no parse per turn
        os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
        logging.getLogger("rasa").setLevel(logging.ERROR)
        from rasa.core.agent import Agent
        from rasa_sdk.executor import ActionExecutor

        agent = Agent.load(str(model or latest_model()))
        executor = ActionExecutor()
        executor.register_package("actions")
        return cls(agent, dict(executor.actions), intent_actions())

    def conversation(self) -> Conversation:
        return Conversation(self)


@dataclass
class Conversation:
    assistant: Assistant
    slots: dict[str, Any] = field(default_factory=dict)
    turns: list[Said] = field(default_factory=list)

    def say(self, text: str) -> Said:
        return asyncio.run(self._say(text))

    async def _say(self, text: str) -> Said:
        from rasa_sdk import Tracker
        from rasa_sdk.executor import CollectingDispatcher

        parse = await self.assistant.agent.parse_message(text)
        intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
        action_name = self.assistant.rules.get(intent, "action_default_fallback")
        before = dict(self.slots)
        messages: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        action = self.assistant.actions.get(action_name)
        if action is None:  # a domain response (greeting, thanks): Rasa answers itself
            messages = [{"text": action_name, "response": action_name}]
        else:
            tracker = Tracker(
                sender_id="eval",
                slots=before,
                latest_message=parse,
                events=[],
                paused=False,
                followup_action=None,
                active_loop={},
                latest_action_name="action_listen",
            )
            dispatcher = CollectingDispatcher()
            events = await action(dispatcher, tracker, self.assistant.domain)
            messages = dispatcher.messages
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        said = Said(text, parse, action_name, messages, events, before)
        self.turns.append(said)
        return said
