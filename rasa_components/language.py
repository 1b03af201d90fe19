"""`LanguagePolicy`: the `language` slot set by Rasa itself, before the reply is chosen.

The replies that need no knowledge (greeting, thanks, goodbye, capabilities, "bist du ein
Bot?") are the domain's responses, with an English variation conditioned on the slot
`language`. The slot must therefore be right before the response is rendered, also on the
first message of a conversation ("thanks" → English). This policy never predicts an action
(all probabilities 0, so every other policy wins); it only adds a `SlotSet("language", …)`
event — Rasa applies policy events whichever policy wins — when the latest user message
clearly shows a language (the NLU's `language`, `rasa_components.evidence`) that
differs from the slot. Without a clear vote ("hi", "ok", a name) the slot keeps the
conversation's language, German at the start: exactly what the actions do.

A policy rather than an NLU entity, so the NLU's output (and its evaluation) is unchanged.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from index.language import vote

SLOT = "language"


def shown_language(tracker: DialogueStateTracker) -> str | None:
    """The language the latest message clearly shows: as the NLU read it once
    (`rasa_components.evidence`, parse result `language`), else by the same vote."""
    message = tracker.latest_message
    if message is None:
        return None
    parse = message.parse_data or {}
    if "language" in parse:
        return parse["language"] if parse["language"] in ("de", "en") else None
    return vote(str(message.text or ""))  # a model without the evidence component


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class LanguagePolicy(Policy):
    """Sets the slot `language` from the latest user message; predicts no action."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 0}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguagePolicy:
        return cls(config, model_storage, resource, execution_context)

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        language = shown_language(tracker)
        events = []
        if language is not None and SLOT in tracker.slots and tracker.get_slot(SLOT) != language:
            events.append(SlotSet(SLOT, language))
        return self._prediction(self._default_predictions(domain), events=events)
