"""The real knowledge base with its built default index (builds it first if it is stale)."""

from __future__ import annotations

import pytest

from index import evaluate, store
from index.decision import NONE_PRECISION
from index.embedders import get_embedder
from index.loader import load
from index.retriever import DEFAULT_BACKEND, Retriever

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real() -> Retriever:
    knowledge = load()
    embedder = get_embedder(DEFAULT_BACKEND)
    out = store.store_dir(DEFAULT_BACKEND)
    store.build(knowledge, embedder, out, log=lambda *_: None)  # no-op when up to date
    return Retriever(knowledge, embedder, store.open(out, knowledge, embedder))


@pytest.mark.parametrize(
    "query",
    [
        "Projekt zur Raumfahrt",
        "Projekte in München",
        "Hundesteuer in Köln beantragen",
        # "Programm" names every programme topic: a scope word, not a name match
        "Was bedeutet Raumfahrt für das Programm?",
    ],
)
def test_no_answer(real: Retriever, query: str) -> None:
    assert real.search(query) == []


def test_typos_and_missing_umlauts(real: Retriever) -> None:
    assert [h.id for h in real.search("buerger id")][:1] == ["gelsenkirchen-smartphone-buerger-id"]
    assert [h.id for h in real.match_projects("zeonlin")][:1] == ["owl-paderborn-zeonline"]
    assert real.match_region("Projekte in Paderbron").id == "owl-paderborn"
    (person,) = real.match_people("Sondern")
    assert person.contact.name == "Manfred vom Sondern"
    assert {
        "gelsenkirchen-smartphone-buerger-id",
        "gelsenkirchen-verbrauchsdatenmanagement-loratls",
    } <= set(person.owners)


def test_region_year_question(real: Retriever) -> None:
    # the region is read from the words, the year by the understanding (passed as a filter)
    hits = real.search("Welche Projekte laufen 2021 in Soest?", year=2021, k=10)
    assert hits and all(h.document.region == "soest" for h in hits)
    assert all(h.document.period and h.document.period.active_in(2021) for h in hits)


def test_questions_reference_existing_ids(real: Retriever) -> None:
    questions = evaluate.load_questions(real.knowledge)  # raises on unknown gold ids
    assert len(questions) >= 100
    assert sum(not q.gold for q in questions) >= 20
    assert {q.lang for q in questions} == {"de", "en"}


@pytest.fixture(scope="module")
def splits(real: Retriever) -> dict[str, evaluate.Metrics]:
    questions = evaluate.load_questions(real.knowledge)
    return evaluate.by_split(evaluate.run_questions(real, questions))


def test_ranking_on_the_dev_split(splits: dict[str, evaluate.Metrics]) -> None:
    dev = splits["dev"]
    assert dev.hit1 >= evaluate.TARGETS["hit@1"]
    # measured 0.949, just under the 0.95 target (docs/evaluation.md): a regression guard
    assert dev.mrr >= 0.94


def test_nothing_found_is_said_only_when_right(splits: dict[str, evaluate.Metrics]) -> None:
    """The decision says "nothing in the documents" only where that is right at least
    `NONE_PRECISION` of the time (index/decision.py); whether the documents answer a question
    at all is the NLU's facet "unanswerable" (tests/evaluation/)."""
    assert splits["all"].no_answer_precision >= NONE_PRECISION


def test_a_figure_of_stadt_land_digital_is_a_quoted_fact(real: Retriever) -> None:
    topic = next(t for t in real.knowledge.topics if t.id == "stadt-land-digital-wettbewerb")
    facts = real.rank_facts("Wie viele Beiträge gab es beim Wettbewerb von Stadt.Land.Digital?")
    best, _ = facts[0]
    assert best in topic.facts
    assert "Beitr" in best.text and any(c.isdigit() for c in best.text)
