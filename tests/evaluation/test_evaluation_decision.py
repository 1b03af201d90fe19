"""`evaluation.decision`: which turns of the bank the answer decision is learned from."""

from __future__ import annotations

from evaluation.bank import Item, Labelled
from evaluation.decision import SEARCHED, searched_turns


def turn(kinds: tuple[str, ...], context: bool = False) -> Labelled:
    return Labelled("q", "de", kinds, (), ("none",), True, context=context)


def test_the_searched_turns_are_first_questions_about_documents() -> None:
    item = Item(
        "w1-c001",
        "w1",
        "",
        "de",
        (
            turn(("topic",)),
            turn(("project",), context=True),  # a follow-up: decided by the conversation
            turn(("current", "programme")),
            turn(("region_projects",)),  # a list: decided by a structural rule
            turn(("smalltalk",)),
        ),
    )
    found = searched_turns([item])
    assert [s.turn.kinds for s in found] == [("topic",), ("current", "programme")]
    assert [s.kinds for s in found] == [SEARCHED["topic"], SEARCHED["programme"]]
    assert SEARCHED["project"] == ("project",)  # a project question searches projects only
