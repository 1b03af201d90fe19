"""The slot events an answer writes: what follow-ups will refer to.

The state itself (`understanding.state.Context`) is read by the understanding; an answer
says what it showed through an `Update`, written as Rasa `SlotSet` events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.events import SlotSet

from understanding.state import SLOTS, Context


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

    def merge(self, other: Update) -> Update:
        self.values.update(other.values)
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
    region: str | None = None,
    year: int | None = None,
    status: str | None = None,
    dates: bool = False,
) -> Update:
    """The first `page` results of a listing were shown; "show more" continues it in the same
    format (`dates`)."""
    shown = list(results[:page])
    query = {
        "kind": kind,
        "region": region,
        "year": year,
        "status": status,
        "dates": dates,
        "results": list(results),
    }
    update = Update().set(
        shown_projects=shown,
        current_project=shown[0] if len(results) == 1 else None,
        offset=len(shown),
        last_query=query,
        last_documents=shown,
    )
    if region is not None:
        update.set(current_region=region)
    return update


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
