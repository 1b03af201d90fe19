"""`evaluation.eval_bank`: what the assistant understood of a turn, in the bank's labels
(`reading`), and scoring recorded readings again (`rescore`)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from actions.turn import Reply
from evaluation.bank import Item, Labelled
from evaluation.eval_bank import reading, rescore
from evaluation.pipeline import Said
from index.loader import load
from index.names import name_index
from understanding.question import Question, Search, Targets

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def retriever() -> SimpleNamespace:
    """What `reading` reads of a retriever: its name index (people)."""
    return SimpleNamespace(names=name_index(load(FIXTURE)))


def said(question: Question | None, reply: Reply | None, action: str = "action_answer") -> Said:
    return Said("Frage", {}, action, question, reply)


def question(kind: str, **values: object) -> Question:
    return Question(text="Frage", language="de", kind=kind, kinds=(kind,), **values)  # type: ignore[arg-type]


def test_a_domain_response_is_small_talk(retriever) -> None:
    read = reading(said(None, None, "utter_greet"), retriever)
    assert read.kinds == ("smalltalk",) and not read.answerable


def test_small_talk_the_action_answers_is_the_bank_s_smalltalk(retriever) -> None:
    read = reading(said(question("bot_challenge"), Reply(kind="talk")), retriever)
    assert read.kinds == ("smalltalk",) and not read.answerable


def test_a_project_question(retriever) -> None:
    q = question(
        "project",
        aspects=("contact",),
        current=True,
        targets=Targets(projects=("aachen-ivod",), how="name", region="aachen"),
    )
    read = reading(said(q, Reply(kind="answer")), retriever)
    assert read.kinds == ("project", "current")
    assert read.aspects == ("contact",)
    assert read.targets == ("aachen-ivod", "aachen") and read.answerable


def test_a_person_is_read_as_the_bank_labels_persons(retriever) -> None:
    key = next(k for k, p in retriever.names.people.items() if p.contact.name == "Anna Berg")
    q = question("person", targets=Targets(person=key, projects=("paderborn-buerger-id",)))
    read = reading(said(q, Reply(kind="answer")), retriever)
    assert read.targets == ("person:berg", "paderborn-buerger-id")


def test_a_list_s_targets_are_its_scope_and_what_it_showed(retriever) -> None:
    from actions.context import show_listing

    q = question("region_projects", targets=Targets(region="aachen"))
    reply = Reply(update=show_listing(["aachen-ivod", "aachen-schul-wlan"], page=8, kind="region"))
    assert reading(said(q, reply), retriever).targets == (
        "aachen",
        "aachen-ivod",
        "aachen-schul-wlan",
    )


def test_the_fallback_is_a_topic_when_the_search_answered(retriever) -> None:
    searched = question("nlu_fallback", search=Search((), "answer"))
    assert reading(said(searched, Reply()), retriever).kind == "topic"
    nothing = question("nlu_fallback", search=Search((), "none"))
    assert reading(said(nothing, Reply(kind="none")), retriever).kind == "out_of_scope"


@pytest.mark.parametrize(
    ("kind", "answerable"),
    [("answer", True), ("unsure", True), ("ask", True), ("none", False), ("refusal", False)],
)
def test_answerable_is_what_the_reply_did(retriever, kind: str, answerable: bool) -> None:
    q = question("topic", targets=Targets(projects=("aachen-ivod",), how="search"))
    assert reading(said(q, Reply(kind=kind)), retriever).answerable is answerable  # type: ignore[arg-type]


def test_recorded_readings_are_scored_again(tmp_path: Path) -> None:
    labels = Labelled("q", "de", ("project",), ("contact",), ("aachen-ivod",), True)
    items = [Item("w2-q001", "w2", "", "de", (labels,))]
    recorded = [
        {
            "id": "w2-q001",
            "turn": 0,
            "reading": {
                "kinds": ["project"],
                "aspects": ["contact"],
                "targets": ["aachen-ivod"],
                "answerable": True,
            },
        }
    ]
    path = tmp_path / "run.json"
    path.write_text(json.dumps(recorded), encoding="utf-8")
    (scored,) = rescore(path, items)
    assert scored.kind_ok and scored.aspects_ok and scored.target_ok
