"""The slot events an answer writes (`actions.context`) and how the next turn reads them back
(`understanding.state.Context`)."""

from __future__ import annotations

import pytest

from actions.context import Update, show_choice, show_listing, show_one, show_page
from understanding.state import Context


def _slots(update: Update) -> dict:
    return {e["name"]: e["value"] for e in update.events()}


def test_show_one_makes_the_project_current() -> None:
    slots = _slots(show_one("p1"))
    assert slots == {"shown_projects": ["p1"], "current_project": "p1", "last_documents": ["p1"]}


def test_show_choice_clears_the_current_project() -> None:
    slots = _slots(show_choice(["a", "b"]))
    assert slots == {"shown_projects": ["a", "b"], "current_project": None}


def test_listing_and_paging() -> None:
    results = ["a", "b", "c", "d", "e"]
    slots = _slots(show_listing(results, page=3, kind="search", year=2021, dates=True))
    assert slots["shown_projects"] == ["a", "b", "c"]
    assert slots["current_project"] is None
    assert slots["offset"] == 3
    assert slots["last_query"]["results"] == results and slots["last_query"]["year"] == 2021

    ctx = Context.from_slots(slots)
    assert ctx.remaining == ("d", "e")
    shown, update = show_page(ctx, 3)
    assert shown == ["d", "e"]
    after = Context.from_slots({**slots, **_slots(update)})
    assert after.offset == 5 and after.remaining == ()
    assert after.shown_projects == ("d", "e")
    assert after.last_query is not None and after.last_query["dates"]  # the format is kept


def test_a_single_result_is_current() -> None:
    slots = _slots(show_listing(["a"], page=3, kind="region"))
    assert slots["current_project"] == "a"


def test_a_listing_of_a_region_makes_it_current() -> None:
    slots = _slots(show_listing(["a", "b"], page=3, kind="region", region="soest"))
    assert slots["current_region"] == "soest"
    assert "current_region" not in _slots(show_listing(["a"], page=3, kind="search"))


def test_updates_merge_and_only_set_fields_are_written() -> None:
    update = Update().set(asked="Wer?").merge(show_one("p1", documents=["p1", "soest"]))
    assert _slots(update) == {
        "asked": "Wer?",
        "shown_projects": ["p1"],
        "current_project": "p1",
        "last_documents": ["p1", "soest"],
    }
    assert Update().events() == []


def test_unknown_slots_are_refused() -> None:
    with pytest.raises(KeyError):
        Update().set(colour="blue")
