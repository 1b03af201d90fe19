"""Reading and writing the conversation context (slots)."""

from __future__ import annotations

import pytest

from actions.context import Context, Update, show_choice, show_listing, show_one, show_page


def _slots(update: Update) -> dict:
    return {e["name"]: e["value"] for e in update.events()}


def test_defaults_from_empty_slots() -> None:
    ctx = Context.from_slots({})
    assert ctx.language == "de"
    assert ctx.shown_projects == () and ctx.current_project is None
    assert ctx.offset == 0 and ctx.last_query is None and ctx.results == ()


def test_malformed_slots_are_tolerated() -> None:
    ctx = Context.from_slots(
        {"language": "xx", "shown_projects": "a", "offset": "n/a", "last_query": [1]}
    )
    assert ctx.language == "de"
    assert ctx.shown_projects == ("a",)
    assert ctx.offset == 0 and ctx.last_query is None


def test_float_offset_from_rasa() -> None:
    assert Context.from_slots({"offset": 3.0}).offset == 3


def test_show_one_makes_the_project_current() -> None:
    slots = _slots(show_one("p1"))
    assert slots == {"shown_projects": ["p1"], "current_project": "p1", "last_documents": ["p1"]}


def test_show_choice_clears_the_current_project() -> None:
    slots = _slots(show_choice(["a", "b"]))
    assert slots == {"shown_projects": ["a", "b"], "current_project": None}


def test_listing_and_paging() -> None:
    results = ["a", "b", "c", "d", "e"]
    slots = _slots(show_listing(results, page=3, kind="search", text="q", year=2021))
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


def test_a_single_result_is_current() -> None:
    slots = _slots(show_listing(["a"], page=3, kind="region"))
    assert slots["current_project"] == "a"


def test_unknown_slots_are_refused() -> None:
    with pytest.raises(KeyError):
        Update().set(colour="blue")
