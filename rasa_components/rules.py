"""`RecentRulePolicy`: Rasa's `RulePolicy`, predicting from the conversation's latest turns.

`RulePolicy` sets `max_history` to None, so to predict it turns the *whole* session into
dialogue states (`Domain.states_for_tracker_history`) two or three times per turn, although
a rule matches only the last few states, as many as it has steps. At turns 100–200 of one
conversation that was the largest part of the Rasa server's time after the tracker store
(py-spy, docs/performance.md), and it grows with every turn.

A state holds the previous action, the latest user message's intent and entities, and the
slots and active loop (form) that influence the conversation. When the domain has neither
such slots nor forms, the last states depend only on the latest turns: this policy then
featurises a tracker of the events from the (longest rule + 1)-th last user message on, so
the last (longest rule) states are those of the whole session and every rule matches as
before (the window's own starting state is never compared). Otherwise, and while training
(the contradiction check over the stories), it is `RulePolicy` unchanged.

config.yml: `- name: rasa_components.rules.RecentRulePolicy` with RulePolicy's settings.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_components.events import nth_last_user_message


def recent(tracker: DialogueStateTracker, turns: int, domain: Domain) -> DialogueStateTracker:
    """A tracker of the events from the action before the `turns`-th last user message on
    (the whole tracker when it has no more turns than that)."""
    events = list(tracker.events)
    start = nth_last_user_message(events, turns)
    if start is None:
        return tracker
    while start > 0 and not isinstance(events[start], ActionExecuted):
        start -= 1  # from the action_listen that preceded the message
    if start == 0:
        return tracker
    return DialogueStateTracker.from_events(tracker.sender_id, events[start:], domain.slots)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RecentRulePolicy(RulePolicy):
    """`RulePolicy` that featurises only the latest turns when that changes nothing."""

    _training = False
    _longest: int | None = None

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        self._training, self._longest = True, None
        try:
            return super().train(training_trackers, domain, **kwargs)
        finally:
            self._training = False

    def longest_rule(self) -> int:
        """The most states any learned rule compares (at least 1)."""
        if self._longest is None:
            keys = [*self.lookup.get(RULES, {}), *self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
            self._longest = max((len(self._rule_key_to_state(k)) for k in keys), default=1)
        return self._longest

    @staticmethod
    def windowable(domain: Domain) -> bool:
        """Whether the states depend only on the latest turns: no slot that influences the
        conversation, no form."""
        return not domain.form_names and not any(s.influence_conversation for s in domain.slots)

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        if not self._training and self.windowable(domain):
            tracker = recent(tracker, self.longest_rule() + 1, domain)
        return super()._prediction_states(
            tracker, domain, use_text_for_last_user_input, rule_only_data
        )
