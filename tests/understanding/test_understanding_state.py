"""The conversation's slots read back (`understanding.state.Context`): missing and malformed
values, as an older version or a hand-made tracker may have written them, never fail."""

from __future__ import annotations

import pytest

from understanding.state import SLOTS, Context


def test_the_slots_are_the_fields() -> None:
    assert tuple(Context.__dataclass_fields__) == SLOTS


def test_defaults_from_no_slots() -> None:
    ctx = Context.from_slots({})
    assert ctx == Context()
    assert ctx.language == "de" and ctx.shown_projects == () and ctx.current_project is None
    assert ctx.offset == 0 and ctx.last_query is None
    assert ctx.results == () and ctx.remaining == ()


@pytest.mark.parametrize(
    ("slots", "field", "expected"),
    [
        ({"language": "xx"}, "language", "de"),
        ({"language": None}, "language", "de"),
        ({"language": "en"}, "language", "en"),
        ({"shown_projects": "a"}, "shown_projects", ("a",)),  # one id, not its letters
        ({"shown_projects": [None, "a", "", 3]}, "shown_projects", ("a", "3")),
        ({"shown_projects": {"a": 1}}, "shown_projects", ()),
        ({"offset": "n/a"}, "offset", 0),
        ({"offset": 3.0}, "offset", 3),  # Rasa's float slot
        ({"offset": -2}, "offset", 0),
        ({"offset": None}, "offset", 0),
        ({"last_query": [1, 2]}, "last_query", None),
        ({"last_query": "kind=region"}, "last_query", None),
        ({"current_project": ""}, "current_project", None),
        ({"current_project": ["a"]}, "current_project", None),
        ({"current_region": "soest"}, "current_region", "soest"),
        ({"last_documents": 7}, "last_documents", ()),
        ({"asked": "Wer?"}, "asked", "Wer?"),
    ],
)
def test_malformed_slots_are_tolerated(slots: dict, field: str, expected: object) -> None:
    assert getattr(Context.from_slots(slots), field) == expected


def test_results_and_what_remains_of_a_listing() -> None:
    ctx = Context.from_slots(
        {"shown_projects": ["a", "b"], "offset": 2, "last_query": {"results": ["a", "b", "c"]}}
    )
    assert ctx.results == ("a", "b", "c") and ctx.remaining == ("c",)


def test_without_a_listing_the_results_are_the_projects_shown() -> None:
    ctx = Context.from_slots({"shown_projects": ["a", "b"], "offset": 1})
    assert ctx.results == ("a", "b")
    assert ctx.remaining == ()  # nothing to page through


def test_a_listing_with_broken_results_pages_through_nothing_it_cannot_read() -> None:
    ctx = Context.from_slots({"shown_projects": ["a"], "last_query": {"results": "abc"}})
    assert ctx.results == ("a",)
