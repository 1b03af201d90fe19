"""The conversation so far, as the slots keep it between turns: what follow-ups refer to.

| slot | holds |
| --- | --- |
| `language` | "de" or "en": the language of the replies |
| `shown_projects` | ids of the projects in the last answer, in the order shown |
| `current_project` | the one project follow-ups refer to ("Wie lange läuft das?"), or None |
| `current_person` | the person last asked about ("und ihre E-Mail?") |
| `current_region` | the region last asked about or listed ("und dort?") |
| `last_kind` | the kind of the last question ("und in Soest?" asks it again) |
| `offset` | how many results of `last_query` have been shown ("Mehr anzeigen") |
| `last_query` | the last listing: {"kind", "region", "year", "status", "dates", "results": [ids]} |
| `last_documents` | ids of what the last factual answer was taken from ("Woher stammt das?") |
| `asked` | the question that led to the current project, in the person's words (hand-over mail) |

Reading tolerates missing or malformed values (a slot written by an older version).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from index.language import Language, normalise

SLOTS: tuple[str, ...] = (
    "language",
    "shown_projects",
    "current_project",
    "current_person",
    "current_region",
    "last_kind",
    "offset",
    "last_query",
    "last_documents",
    "asked",
)


@dataclass(frozen=True)
class Context:
    language: Language = "de"
    shown_projects: tuple[str, ...] = ()
    current_project: str | None = None
    current_person: str | None = None
    current_region: str | None = None
    last_kind: str | None = None
    offset: int = 0
    last_query: Mapping[str, Any] | None = None
    last_documents: tuple[str, ...] = ()
    asked: str | None = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Context:
        query = slots.get("last_query")
        return cls(
            language=normalise(slots.get("language")),
            shown_projects=_ids(slots.get("shown_projects")),
            current_project=_text(slots.get("current_project")),
            current_person=_text(slots.get("current_person")),
            current_region=_text(slots.get("current_region")),
            last_kind=_text(slots.get("last_kind")),
            offset=_int(slots.get("offset")),
            last_query=query if isinstance(query, Mapping) else None,
            last_documents=_ids(slots.get("last_documents")),
            asked=_text(slots.get("asked")),
        )

    @property
    def results(self) -> tuple[str, ...]:
        """All result ids of the last listing (the projects shown when there was none)."""
        if self.last_query and isinstance(self.last_query.get("results"), list):
            return _ids(self.last_query["results"])
        return self.shown_projects

    @property
    def remaining(self) -> tuple[str, ...]:
        return self.results[self.offset :] if self.last_query else ()


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(str(v) for v in value if v)
    return ()


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
