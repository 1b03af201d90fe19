"""Look up an event's class by its type name once, not on every event.

Rasa 3.6 turns every stored or received event into its class with `Event.resolve_by_type`,
which walks all subclasses of `Event` (recursively, checking each for abstractness) for each
event. Loading a conversation of 1,200 events from the SQL tracker store spent 23 % of the
Rasa server's time there (py-spy, docs/performance.md). The classes do not change once Rasa
is imported, so a found class is remembered by its type name; unknown names, "topic" and
defaults still go through Rasa's own function (same result, same error).

`install()` replaces `Event.resolve_by_type`; `rasa_components` and `service.sqlstore` call it.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_INSTALLED = "_modellregionen_cached_types"
_original = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: Any = None) -> type[Event] | None:
    found = _found.get(type_name)
    if found is not None:
        return found
    for cls in all_subclasses(Event):  # Rasa's order: the first class with the name wins
        if cls.type_name == type_name:
            _found[type_name] = cls
            return cls
    return _original(type_name, default)


def install() -> None:
    """Idempotent."""
    if not getattr(Event, _INSTALLED, False):
        Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
        setattr(Event, _INSTALLED, True)
