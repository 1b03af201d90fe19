"""The conversation context kept in slots between turns, and the events that update it.

| slot | holds |
| --- | --- |
| `language` | "de" or "en": the language of the replies |
| `shown_projects` | ids of the projects in the last answer, in the order shown |
| `current_project` | the one project follow-ups refer to ("Wie lange läuft das?"), or None |
| `offset` | how many results of `last_query` have been shown ("Mehr anzeigen") |
| `last_query` | the last listing: {"kind", "text", "region", "year", "status", "results": [ids]} |
| `last_documents` | ids of what the last factual answer was taken from ("Woher stammt das?") |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.events import SlotSet

from index.language import normalise

SLOTS: tuple[str, ...] = (
    "language",
    "shown_projects",
    "current_project",
    "offset",
    "last_query",
    "last_documents",
)


@dataclass(frozen=True)
class Context:
    language: str = "de"
    shown_projects: tuple[str, ...] = ()
    current_project: str | None = None
    offset: int = 0
    last_query: Mapping[str, Any] | None = None
    last_documents: tuple[str, ...] = ()

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Context:
        """Read the context from slot values, tolerating missing or malformed values."""
        query = slots.get("last_query")
        return cls(
            language=normalise(slots.get("language")),
            shown_projects=_ids(slots.get("shown_projects")),
            current_project=slots.get("current_project") or None,
            offset=_int(slots.get("offset")),
            last_query=query if isinstance(query, Mapping) else None,
            last_documents=_ids(slots.get("last_documents")),
        )

    @property
    def results(self) -> tuple[str, ...]:
        """All result ids of the last listing (falls back to the projects shown)."""
        if self.last_query and isinstance(self.last_query.get("results"), list):
            return _ids(self.last_query["results"])
        return self.shown_projects

    @property
    def remaining(self) -> tuple[str, ...]:
        """Results of the last listing not shown yet."""
        return self.results[self.offset :] if self.last_query else ()


@dataclass
class Update:
    """Slot changes made by one answer; only the fields set are written."""

    values: dict[str, Any] = field(default_factory=dict)

    def set(self, **values: Any) -> Update:
        for key in values:
            if key not in SLOTS:
                raise KeyError(f"unknown context slot {key!r}")
        self.values.update(values)
        return self

    def events(self) -> list[dict[str, Any]]:
        return [SlotSet(key, value) for key, value in self.values.items()]


def show_one(project_id: str, *, documents: Sequence[str] | None = None) -> Update:
    """One project was shown: follow-ups refer to it."""
    return Update().set(
        shown_projects=[project_id],
        current_project=project_id,
        last_documents=list(documents or [project_id]),
    )


def show_choice(project_ids: Sequence[str]) -> Update:
    """Several candidates were offered to choose from; no single project is current."""
    return Update().set(shown_projects=list(project_ids), current_project=None)


def show_listing(
    results: Sequence[str],
    *,
    page: int,
    kind: str,
    text: str = "",
    region: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> Update:
    """The first `page` results of a listing were shown; "show more" continues it."""
    shown = list(results[:page])
    query = {
        "kind": kind,
        "text": text,
        "region": region,
        "year": year,
        "status": status,
        "results": list(results),
    }
    return Update().set(
        shown_projects=shown,
        current_project=shown[0] if len(results) == 1 else None,
        offset=len(shown),
        last_query=query,
        last_documents=shown,
    )


def show_page(ctx: Context, page: int) -> tuple[list[str], Update]:
    """The next page of the last listing and the update that records it as shown."""
    start = ctx.offset
    shown = list(ctx.results[start : start + page])
    update = Update().set(
        shown_projects=shown,
        current_project=None,
        offset=start + len(shown),
        last_documents=shown,
    )
    return shown, update


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(str(v) for v in value if v)
    return ()


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
