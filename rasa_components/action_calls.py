"""Send the action server the current turn's events instead of the whole conversation's.

Rasa 3.6 posts the tracker with *every* event of the session to the action server on each
call (`RemoteAction._action_call_format`, `EventVerbosity.ALL`): serialising it, sending it
and reading it back on the action server grows with the conversation (the bench's turns
101–200, docs/performance.md). This assistant's actions read only the slots and the latest
message (`actions/base.py`), which the tracker state carries whatever the events, so with

    action_endpoint:
      url: ...
      tracker_events: turn      # default: all (Rasa's behaviour)

in endpoints.yml the request carries the events from the latest user message on, and
everything else of the state (slots, latest message, latest action, active loop, paused) as
Rasa builds it. An action that needs the history (none here) can be given it back with
`tracker_events: all`. The domain is governed by Rasa's own `enable_selective_domain`.

`install()` replaces `RemoteAction._action_call_format`; it runs when Rasa loads
`rasa_components` (config.yml names a component of it), before any action is called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.trackers import EventVerbosity

from rasa_components.events import nth_last_user_message

OPTION = "tracker_events"
CHOICES = ("all", "turn")
_INSTALLED = "_modellregionen_turn_events"
_original = RemoteAction._action_call_format


def events_mode(action: RemoteAction) -> str:
    """`tracker_events` of the action endpoint; an unknown value is refused, not guessed."""
    endpoint = action.action_endpoint
    mode = str(endpoint.kwargs.get(OPTION, "all")) if endpoint is not None else "all"
    if mode not in CHOICES:
        raise ValueError(f"endpoints.yml: action_endpoint.{OPTION} must be one of {CHOICES}")
    return mode


def turn_events(events: Sequence[Any]) -> list[Any]:
    """The events from the latest user message on (all of them when there is none)."""
    events = list(events)
    start = nth_last_user_message(events)
    return events if start is None else events[start:]


def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
    """Rasa 3.6's request (the same keys, built the same way) with the turn's events only."""
    if events_mode(self) == "all":
        return _original(self, tracker, domain)
    state = tracker.current_state(EventVerbosity.NONE)  # the state without any event
    state["events"] = [e.as_dict() for e in turn_events(tracker.events)]
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain.as_dict()
    return result


def install() -> None:
    """Idempotent."""
    if not getattr(RemoteAction, _INSTALLED, False):
        RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
        setattr(RemoteAction, _INSTALLED, True)
