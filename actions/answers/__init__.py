"""One table from the kind of a question to the function that answers it.

A new kind of question is an entry here, an answer function taking a `Turn` and returning a
`Reply`, and examples in the question bank (the NLU learns the kind from them).
"""

from __future__ import annotations

from collections.abc import Callable

from actions.answers import (
    actors,
    lists,
    people,
    programme,
    projects,
    regions,
    services,
    talk,
)
from actions.turn import Reply, Turn
from understanding.kinds import MOVES, SMALL_TALK, Kind

ANSWERS: dict[Kind, Callable[[Turn], Reply]] = {
    "topic": projects.topic,
    "project": projects.project,
    "region_projects": lists.region_projects,
    "region_makeup": regions.region_makeup,
    "compare_regions": regions.compare_regions,
    "count": lists.count,
    "ordering": lists.ordering,
    "period_filter": lists.period_filter,
    "status_filter": lists.status_filter,
    "person": people.person,
    "actor": actors.actor,
    "programme": programme.programme,
    "stadt_land_digital": programme.programme,
    "service": services.service,
    "out_of_scope": talk.out_of_scope,
    "greet": talk.small_talk,
    "goodbye": talk.small_talk,
    "thank": talk.small_talk,
    "bot_capabilities": talk.small_talk,
    "bot_challenge": talk.small_talk,
    "about_assistant": talk.about_assistant,
    "affirm": talk.small_talk,
    "deny": talk.small_talk,
    "select_item": projects.select_item,
    "show_more": projects.show_more,
    "nlu_fallback": talk.fallback,
}


def answer(turn: Turn) -> Reply:
    """The reply to a turn: the answer of its kind (every kind has one). A question about a
    year the documents do not reach („Wer ist 2026 CIO?“) is answered as such, whatever it
    asks: they were written in 2017 and 2019 and plan no further."""
    q = turn.question
    year = q.filters.year
    asks_after = year is not None and year.year > turn.knowledge.last_planned_year
    if asks_after and q.kind not in SMALL_TALK | MOVES:
        return lists.after_documents(turn, year.year)
    return ANSWERS[q.kind](turn)
