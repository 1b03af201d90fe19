"""The domain objects' derived views (`index.domain`): a project's details without picture
credits, a topic's printed facts, a contact's person id, sentences; on hand-made objects and
on the real knowledge."""

from __future__ import annotations

import pytest

from index.domain import Contact, Fact, Knowledge, Project, Source, Topic, sentences
from index.loader import load
from index.vocabulary import CREDIT_LABELS

SLIDES = Source("praesentation-2019", "Folie")


def project(description: str) -> Project:
    return Project(
        id="x-projekt",
        title="Projekt",
        region=None,
        municipality="Stadt X",
        summary="Kurz.",
        description=description,
        topics=(),
        status=None,
        contacts=(),
        source=SLIDES,
    )


def topic(text: str) -> Topic:
    return Topic(id="thema", title="Thema", text=text, source=SLIDES)


@pytest.fixture(scope="module")
def real() -> Knowledge:
    return load()


# --- Project.details --------------------------------------------------------------------


def test_details_are_the_slide_text_without_picture_credits() -> None:
    p = project(
        "Die Stadt baut ein Portal.\n• Termine online\nFoto: Caroline Seidel | Stadt X\n"
        "  bild: Archiv\nGrafik: GELSENWASSER AG\n"
    )
    assert p.details == "Die Stadt baut ein Portal.\n• Termine online"
    assert "Foto:" in p.description and "Foto:" not in p.details


def test_a_credit_word_inside_a_line_is_no_credit() -> None:
    p = project("Das Fotoarchiv wird digitalisiert.\nMit Grafik: Diagramme der Nutzung")
    assert p.details == p.description.strip()


def test_no_real_project_s_details_carry_a_credit(real: Knowledge) -> None:
    credited = [p for p in real.projects if p.details != p.description.strip()]
    assert credited  # the documents print credits under some slides
    for p in real.projects:
        lines = [line.strip().lower() for line in p.details.splitlines()]
        assert not any(line.startswith(CREDIT_LABELS) for line in lines), p.id
        assert p.details  # and keep their text


# --- Topic.facts -----------------------------------------------------------------------------


def test_facts_are_sentences_and_list_items_with_their_lead() -> None:
    t = topic(
        "Das Programm hat zwei Säulen. Es startete 2018.\n"
        "Fortschritte bei Strategien:\n"
        "• 40 % (2015) → 59 % (2017)\n"
        "- 80 % finden sie sinnvoll\n"
        "Noch ein Satz."
    )
    assert [f.text for f in t.facts] == [
        "Das Programm hat zwei Säulen.",
        "Es startete 2018.",
        "Fortschritte bei Strategien",
        "Fortschritte bei Strategien: 40 % (2015) → 59 % (2017)",
        "Fortschritte bei Strategien: 80 % finden sie sinnvoll",
        "Noch ein Satz.",
    ]
    assert [f.id for f in t.facts][:2] == ["thema#0", "thema#1"]
    assert all(isinstance(f, Fact) and f.topic == "thema" for f in t.facts)


def test_a_list_item_after_a_sentence_has_no_lead() -> None:
    t = topic("Ein Satz.\n• ein Punkt")
    assert [f.text for f in t.facts] == ["Ein Satz.", "ein Punkt"]


def test_repeated_and_trivial_lines_are_one_or_no_fact() -> None:
    t = topic("Gleich.\nGleich.\nab\n\n")
    assert [f.text for f in t.facts] == ["Gleich."]


def test_the_knowledge_s_facts_are_every_topic_s_in_order(real: Knowledge) -> None:
    assert real.facts == tuple(f for t in real.topics for f in t.facts)
    assert all(t.facts for t in real.topics)
    ids = [f.id for f in real.facts]
    assert len(set(ids)) == len(ids)


# --- Contact.person_id ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "person_id"),
    [
        ("Manfred vom Sondern", "person:vom-sondern"),
        ("Christiane Boschin-Heinz", "person:boschin-heinz"),
        ("Gerke", "person:gerke"),
        ("Jörg Schäfer", "person:schaefer"),
        ("Ludwig van der Berg", "person:van-der-berg"),
    ],
)
def test_person_id_is_the_surname_with_its_particle(name: str, person_id: str) -> None:
    assert Contact(name=name).person_id == person_id


def test_every_person_the_bank_names_is_a_contact(real: Knowledge) -> None:
    from evaluation.bank import load_bank

    people = {c.person_id for c, _ in real.contacts()}
    named = {t for _, turn in load_bank().turns() for t in turn.targets if t.startswith("person:")}
    assert named and named <= people, named - people


# --- sentences ---------------------------------------------------------------------------


def test_sentences_do_not_end_at_abbreviations_or_ordinals() -> None:
    text = (
        "Prof. Dr. Andreas Pinkwart übersandte den Bericht. In der 17. Wahlperiode folgte "
        "am 23. November 2017 z. B. eine Sitzung. „Zitat folgt.“"
    )
    assert sentences(text) == [
        "Prof. Dr. Andreas Pinkwart übersandte den Bericht.",
        "In der 17. Wahlperiode folgte am 23. November 2017 z. B. eine Sitzung.",
        "„Zitat folgt.“",
    ]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence() -> None:
    assert sentences("Das kostet ca. fünf Euro. Danach nichts.") == [
        "Das kostet ca. fünf Euro.",
        "Danach nichts.",
    ]
