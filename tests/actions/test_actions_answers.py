"""The answers' table and answer functions called directly with a `Turn` (no Rasa, no
search): the fixture knowledge, and questions built as `understanding` would build them."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from actions.answers import ANSWERS, answer
from actions.answers.talk import SIMPLE
from actions.texts import t
from actions.turn import Turn
from index.domain import Knowledge
from index.loader import load
from understanding.kinds import KINDS, SMALL_TALK
from understanding.question import Question, Targets
from understanding.state import Context

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load(FIXTURE)


def turn(knowledge: Knowledge, **question: object) -> Turn:
    """A turn on the knowledge alone: what the answer functions below read of a retriever."""
    values = {"text": "Frage", "language": "de", "kind": "project", "kinds": ("project",)}
    values.update(question)
    if "kinds" not in question:
        values["kinds"] = (values["kind"],)
    return Turn(
        Question(**values),  # type: ignore[arg-type]
        Context(),
        SimpleNamespace(knowledge=knowledge),
        today=datetime.date(2026, 12, 5),
    )


def test_every_kind_has_an_answer() -> None:
    assert set(ANSWERS) == set(KINDS)
    assert all(callable(f) for f in ANSWERS.values())


@pytest.mark.parametrize("kind", sorted(SMALL_TALK - {"about_assistant"}))
def test_small_talk_the_action_answers_is_talk(knowledge: Knowledge, kind: str) -> None:
    reply = answer(turn(knowledge, kind=kind, language="en"))
    assert reply.kind == "talk"
    assert reply.texts == [t(SIMPLE[kind], "en")]


def test_the_best_topic_is_quoted_first(knowledge: Knowledge) -> None:
    """The understanding orders the topics best first; the answer quotes the first one and
    names the others as related, whatever their order in knowledge/."""
    second, first = (t.id for t in knowledge.topics)  # the reverse of the knowledge's order
    best = next(t for t in knowledge.topics if t.id == first)
    fact = best.facts[0]
    reply = answer(
        turn(
            knowledge,
            kind="programme",
            targets=Targets(topics=(first, second), facts=(fact.id,), how="search"),
        )
    )
    text = reply.texts[0]
    assert text.startswith(f"**{best.title}**")
    assert fact.text in text  # a short topic is given whole, its facts with it
    other = next(t for t in knowledge.topics if t.id == second)
    assert t("programme_more", "de", titles=other.title) in text
    assert reply.update.values["last_documents"] == [first]


def test_a_question_the_documents_do_not_answer_says_so_first(knowledge: Knowledge) -> None:
    project = knowledge.project("aachen-ivod")
    reply = answer(
        turn(
            knowledge,
            aspects=("cost",),
            targets=Targets(projects=(project.id,), how="name"),
        )
    )
    assert reply.kind == "none"  # it opens with what the documents do not say
    what = t("beyond_cost", "de")
    assert reply.texts[0].startswith(t("not_in_documents", "de", what=what, title=project.title))
    plain = answer(turn(knowledge, targets=Targets(projects=(project.id,), how="name")))
    assert plain.kind == "answer"
