"""`understand`: one turn read into one `Question`, on the fixture knowledge with the real
retriever. The learned parts (kind, facets) are given as the NLU would give them
(tests/parses.py); what is resolved from them is tested here, in the order of
`understanding.read`: a button's ids, a printed name, a list position, the conversation, a
search."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from index.domain import Project
from tests.parses import button_parse, nlu_parse
from understanding.evidence import EMBEDDING, decode
from understanding.question import Question
from understanding.read import SECOND_KIND, understand
from understanding.state import Context

IVOD = "aachen-ivod"
PARKING = "gelsenkirchen-smart-parking"
ZEONLINE = "gelsenkirchen-zeonline"


@pytest.fixture
def read(retriever):
    def read(text: str, kind: str, facets=(), context: Context | None = None, **parse) -> Question:
        message = (
            button_parse(text)
            if text.startswith("/")
            else nlu_parse(text, kind, facets, retriever=retriever, **parse)
        )
        return understand(message, context or Context(), retriever)

    return read


# --- 1. a button -------------------------------------------------------------------------


def test_a_button_is_read_from_its_ids(read) -> None:
    q = read(f'/project{{"project":"{IVOD}","aspect":"period"}}', "", context=Context("en"))
    assert q.payload and q.text == ""
    assert (q.kind, q.targets.projects, q.targets.how, q.aspects) == (
        "project",
        (IVOD,),
        "payload",
        ("period",),
    )
    assert q.language == "en"  # a button shows no language: the conversation's
    assert q.search is None


def test_ids_and_aspects_the_knowledge_lacks_are_ignored(read) -> None:
    q = read('/project{"project":"gibt-es-nicht","aspect":"farbe"}', "")
    assert q.targets.projects == () and q.aspects == () and q.targets.how == "none"
    region = read('/region_projects{"region":"Lippstadt **fett**"}', "")
    assert region.kind == "region_projects" and region.filters.region is None


# --- 2. a printed name --------------------------------------------------------------------


def test_a_printed_name_is_the_target_and_nothing_is_searched(read) -> None:
    q = read("Wer ist Ansprechpartner für IVOD?", "project", ["contact"])
    assert q.targets.projects == (IVOD,) and q.targets.how == "name"
    assert q.aspects == ("contact",) and q.search is None


def test_a_new_name_wins_over_the_conversation(read) -> None:
    q = read(
        "Und wer ist bei IVOD zuständig?",
        "project",
        ["contact", "context"],
        Context(current_project=ZEONLINE, shown_projects=(ZEONLINE,)),
    )
    assert q.targets.projects == (IVOD,) and q.targets.how == "name"


def test_a_person_by_name_and_an_actor_s_only_contact(read, retriever) -> None:
    named = read("Wer ist Herr vom Sondern?", "person")
    assert retriever.names.people[named.targets.person].contact.name == "Manfred vom Sondern"
    kdn = next(a for a in retriever.knowledge.actors if a.id == "kdn")
    (contact,) = kdn.contacts
    by_actor = read("Wer ist der Ansprechpartner bei der KDN?", "person")
    assert by_actor.targets.actor == "kdn"
    assert retriever.names.people[by_actor.targets.person].contact.name == contact.name


def test_a_project_nobody_has_is_named_and_not_searched(read) -> None:
    q = read(
        "Wer ist der Ansprechpartner für das Projekt Bürgerbus Minden?", "project", ["contact"]
    )
    assert q.targets.unknown_project == "Bürgerbus Minden"
    assert q.targets.projects == () and q.search is None


# --- 3. a list position -------------------------------------------------------------------


def test_a_position_in_the_list_just_shown(read) -> None:
    shown = Context(shown_projects=(IVOD, PARKING, ZEONLINE))
    assert read("das zweite", "select_item", context=shown).targets.projects == (PARKING,)
    assert read("the last one", "select_item", context=shown).targets.projects == (ZEONLINE,)
    q = read("Wer ist beim ersten Projekt zuständig?", "project", ["contact"], shown)
    assert q.targets.projects == (IVOD,) and q.targets.how == "position"
    outside = read("das fünfte", "select_item", context=shown)
    assert outside.targets.projects == () and outside.targets.how == "none"
    assert read("das zweite", "select_item").targets.projects == ()  # no list shown


# --- 4. the conversation ------------------------------------------------------------------


def test_a_follow_up_refers_to_the_current_project(read) -> None:
    ctx = Context(current_project=IVOD, shown_projects=(IVOD,))
    q = read("Und wer ist da der Ansprechpartner?", "project", ["contact", "context"], ctx)
    assert q.followup and q.targets.projects == (IVOD,) and q.targets.how == "context"
    assert q.search is None


def test_without_the_context_facet_the_question_is_searched(read) -> None:
    ctx = Context(current_project=IVOD, shown_projects=(IVOD,))
    q = read("Gibt es Projekte zu Parkplätzen?", "topic", (), ctx)
    assert not q.followup and q.targets.how == "search" and q.search is not None


def test_a_follow_up_picks_from_the_list_by_place(read) -> None:
    ctx = Context(shown_projects=(IVOD, PARKING))
    q = read("Und wer ist für das in Bottrop zuständig?", "project", ["contact", "context"], ctx)
    assert q.targets.projects == (PARKING,) and q.targets.how == "shown"


def test_a_follow_up_about_a_short_list_is_about_all_of_it(read) -> None:
    ctx = Context(shown_projects=(IVOD, PARKING))
    q = read("Wie lange laufen die?", "project", ["period", "context"], ctx)
    assert set(q.targets.projects) == {IVOD, PARKING} and q.targets.how == "shown"


def test_a_list_follow_up_keeps_the_region(read) -> None:
    q = read("und dort?", "region_projects", ["context"], Context(current_region="aachen"))
    assert q.filters.region == "aachen"
    fresh = read(
        "Und welche Projekte gibt es?", "region_projects", (), Context(current_region="aachen")
    )
    assert fresh.filters.region is None  # not a follow-up: no region carried over


# --- 5. a search --------------------------------------------------------------------------


def test_a_description_is_searched_within_the_place_named(read, retriever) -> None:
    q = read("Gibt es in Bottrop etwas zum Parken?", "topic")
    assert q.search is not None and q.targets.how == "search"
    assert q.filters.region == "gelsenkirchen"
    assert q.search.hits and all(
        h.document.region == "gelsenkirchen"
        for h in q.search.hits
        if isinstance(h.document, Project)
    )


def test_a_programme_question_quotes_the_facts_of_its_best_topic(read, retriever) -> None:
    q = read("Wie viel Geld gibt es für die Modellregionen?", "programme")
    assert q.targets.topics[0] == "programm-foerdervolumen"
    facts = {f.id: f for f in retriever.knowledge.facts}
    assert q.targets.facts and all(facts[f].topic == q.targets.topics[0] for f in q.targets.facts)


def test_the_nlus_embedding_is_the_search_vector(read, retriever) -> None:
    text = "Gibt es Projekte zu Parkplätzen?"
    parse = nlu_parse(text, "topic", retriever=retriever)
    q = understand(parse, Context(), retriever)
    assert q.vector is not None
    np.testing.assert_array_equal(q.vector, decode(parse[EMBEDDING], q.vector.shape[0]))
    without = understand({**parse, EMBEDDING: None}, Context(), retriever)
    assert without.vector is None  # the retriever embeds the query itself then


# --- what is asked: kinds, facets, language ---------------------------------------------


def test_the_main_kind_and_a_second_one_above_the_bar(read) -> None:
    text = "Was ist IVOD und wer leitet es?"
    two = read(text, "project", ["description"], confidence=0.6, ranking=[("person", 0.35)])
    assert two.kinds == ("project", "person") and two.confidence == pytest.approx(0.6)
    low = SECOND_KIND - 0.1
    one = read(text, "project", ["description"], confidence=0.8, ranking=[("person", low)])
    assert one.kinds == ("project",)


def test_an_intent_that_is_no_kind_is_the_fallback(read) -> None:
    assert read("Was weißt du?", "irgendwas").kind == "nlu_fallback"


def test_the_facets_become_what_the_question_asks(read) -> None:
    q = read(
        "Kann ich IVOD heute noch nutzen und was kostet es, Telefonnummer?",
        "project",
        {"cost": 0.9, "contact": 0.8, "current": 0.7, "phone": 0.6, "unanswerable": 0.5},
    )
    assert q.aspects == ("contact", "cost")  # in the order of the aspects, not the parse's
    assert q.current and q.beyond == ("phone",) and not q.answerable and not q.followup


@pytest.mark.parametrize(
    ("text", "previous", "language"),
    [
        ("Which projects run in Aachen?", "de", "en"),
        ("Welche Projekte laufen in Aachen?", "en", "de"),
        ("IVOD", "en", "en"),  # no vote: the conversation's language
        ("IVOD", "de", "de"),
    ],
)
def test_the_language(read, text: str, previous: str, language: str) -> None:
    assert read(text, "project", context=Context(language=previous)).language == language


# --- filters --------------------------------------------------------------------------


def test_filters_of_a_list_question(read) -> None:
    q = read("Welche Projekte laufen 2020 in Bottrop?", "region_projects")
    assert q.filters.region == "gelsenkirchen" and q.filters.municipality == "Stadt Bottrop"
    assert q.filters.year is not None and q.filters.year.active_in == 2020
    lead = read("Welche Projekte gibt es in Gelsenkirchen?", "region_projects")
    assert lead.filters.region == "gelsenkirchen" and lead.filters.municipality is None
    planned = read("Welche Projekte sind in Aachen geplant?", "status_filter")
    assert (planned.filters.region, planned.filters.status) == ("aachen", "planned")
    done = read("Welche Projekte sind schon abgeschlossen?", "period_filter")
    assert done.filters.finished and done.filters.year is None
    order = read("Welches davon endet zuletzt?", "ordering")
    assert order.filters.of_those and order.filters.order == ("last", "end")
    assert read("Welche Projekte enden 2021?", "ordering").filters.finished is False


def test_a_place_outside_the_regions(read) -> None:
    q = read("Wie melde ich meinen Hund in Köln an?", "service")
    assert q.targets.place == "Köln" and q.filters.region is None


def test_the_question_cannot_be_changed(read) -> None:
    q = read("Was ist IVOD?", "project")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.kind = "topic"  # type: ignore[misc]
