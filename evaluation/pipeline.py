"""The assistant in one process, without servers: Rasa's trained NLU and the action's answer,
turn by turn.

`Conversation.say(text)` parses the text with the trained model (`rasa.core.agent.Agent`; a
button payload is parsed by Rasa's own `RegexMessageHandler` inside the same call) and, for
every intent the rules send to `action_answer`, understands and answers it exactly as the
action does (`actions.base.respond`); the reply's slot events become the next turn's state.
Small talk that Rasa answers with a domain response is recorded as such. It is what
`make eval-bank` measures with: the same model, the same code, no network.
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
    question: Any  # understanding.question.Question, None for a domain response
    reply: Any  # actions.turn.Reply, None for a domain response


@dataclass
class Assistant:
    agent: Any
    retriever: Any
    rules: dict[str, str]

    @classmethod
    def load(cls, model: Path | None = None) -> Assistant:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's structlog: no parse per turn
        os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
        logging.getLogger("rasa").setLevel(logging.ERROR)
        from rasa.core.agent import Agent

        from actions import deps

        return cls(Agent.load(str(model or latest_model())), deps.get_retriever(), intent_actions())

    def conversation(self) -> Conversation:
        return Conversation(self)


@dataclass
class Conversation:
    assistant: Assistant
    slots: dict[str, Any] = field(default_factory=dict)
    turns: list[Said] = field(default_factory=list)

    def say(self, text: str) -> Said:
        from actions.base import respond
        from understanding.state import Context

        parse = asyncio.run(self.assistant.agent.parse_message(text))
        intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
        action = self.assistant.rules.get(intent, "action_answer")
        question = reply = None
        if action == "action_answer":
            context = Context.from_slots(self.slots)
            question, reply = respond(parse, context, self.assistant.retriever)
            if question is not None:
                self.slots["language"] = question.language
                self.slots["last_kind"] = question.kind
            self.slots.update(reply.update.values)
        said = Said(text, parse, action, question, reply)
        self.turns.append(said)
        return said
