"""Look up an event's class by its type name once, not on every event.

Rasa 3.6 turns every stored or received event into its class with `Event.resolve_by_type`,
which walks all subclasses of `Event` (recursively, checking each for abstractness) for each
event. Loading a conversation of 1,200 events from the SQL tracker store spent 23 % of the
Rasa server's time there (py-spy, docs/performance.md). The classes do not change once Rasa
is imported, so a found class is remembered by its type name; unknown names, "topic" and
defaults still go through Rasa's own function (same result, same error).

`install()` replaces `Event.resolve_by_type`; `rasa_components` and `service.sqlstore` call it.
`nth_last_user_message` is where a turn begins, for the action calls and the rule policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa.shared.core.events import Event, UserUttered

_INSTALLED = "_modellregionen_cached_types"
_original = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: Any = None) -> type[Event] | None:
    found = _found.get(type_name)
    if found is None:
        found = _original(type_name, default)  # raises for an unknown name without default
        if found is not None and found is not default:  # a class Rasa found by the name
            _found[type_name] = found
    return found


def nth_last_user_message(events: Sequence[Event], n: int = 1) -> int | None:
    """Index of the `n`-th last user message among `events`; None if there are fewer."""
    seen = 0
    for i in range(len(events) - 1, -1, -1):
        if isinstance(events[i], UserUttered):
            seen += 1
            if seen == n:
                return i
    return None


def install() -> None:
    """Idempotent."""
    if not getattr(Event, _INSTALLED, False):
        Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
        setattr(Event, _INSTALLED, True)
