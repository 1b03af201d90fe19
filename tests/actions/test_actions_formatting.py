"""Reply texts and buttons from knowledge objects (pure functions, hand-made knowledge)."""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qs

from actions import formatting as fmt
from index.domain import Contact


def test_project_card_has_title_region_summary_period_and_contact(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    card = fmt.project_card(project, tiny, "de")
    assert card.startswith("**Digitales Bürgerbüro** – Digitale Modellregion OWL, Stadt Paderborn")
    assert project.summary in card
    assert "Laufzeit: Oktober 2018 – Ende 2021" in card
    assert "Status laut Unterlagen vom Juli 2019: bewilligt / laufend" in card
    assert "Kontakt: Thorsten Unterberg – t.unterberg@paderborn.de" in card
    assert project.description not in card


def test_detailed_card_adds_the_slide_text(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    assert project.description in fmt.project_card(project, tiny, "de", detailed=True)


def test_english_labels_german_facts(tiny) -> None:
    card = fmt.project_card(tiny.project("soest-govbot"), tiny, "en")
    assert "Period: not stated · Status as of the documents of July 2019: planned" in card
    assert "Contact: Frau Gerke – u.gerke@soest.de" in card
    assert "Soest plant einen GovBot." in card


def test_state_projects_name_the_actor(tiny) -> None:
    card = fmt.project_card(tiny.project("land-gsp-integration"), tiny, "de")
    assert "KDN (Landesebene)" in card
    assert "Kontakt: nicht angegeben" in card


def test_contact_line_prints_every_printed_detail() -> None:
    contact = Contact(
        name="Anna Hoblitz",
        title="Dr.",
        role="Leitung Projektbüro",
        organisation="Stadt Paderborn",
        email="a.hoblitz@paderborn.de",
        phone="+49(5251)882368",
    )
    assert fmt.contact_line(contact, "de") == (
        "Dr. Anna Hoblitz (Leitung Projektbüro, Stadt Paderborn) – a.hoblitz@paderborn.de"
        " – Tel. +49(5251)882368"
    )
    assert fmt.contact_line(Contact(name="Gerke", salutation="Frau"), "en") == "Frau Gerke"


def test_numbered_list(tiny) -> None:
    projects = [tiny.project("soest-govbot"), tiny.project("owl-paderborn-digitales-buergerbuero")]
    text = fmt.project_list(projects, tiny, "de", start=4)
    assert text.splitlines() == [
        "4. **GovBot** (Stadt Soest) – Soest plant einen GovBot.",
        "5. **Digitales Bürgerbüro** (Stadt Paderborn) – "
        "Paderborn baut ein digitales Bürgerbüro auf.",
    ]


def test_follow_up_buttons(tiny) -> None:
    buttons = fmt.follow_up_buttons(tiny.project("soest-govbot"), "de")
    assert [b["title"] for b in buttons] == [
        "Ansprechpartner",
        "Laufzeit & Meilensteine",
        "Übertragbarkeit",
        "Quelle",
    ]
    intent, _, entities = buttons[0]["payload"][1:].partition("{")
    assert intent == "project_contact"
    assert json.loads("{" + entities) == {"project": "soest-govbot"}
    assert [b["title"] for b in fmt.follow_up_buttons(tiny.project("soest-govbot"), "en")][1] == (
        "Timeline & milestones"
    )


def test_choice_and_more_buttons(tiny) -> None:
    buttons = fmt.choice_buttons([tiny.project("soest-govbot")], tiny, "project_period")
    assert buttons == [
        {"title": "GovBot (Soest)", "payload": '/project_period{"project":"soest-govbot"}'}
    ]
    assert fmt.more_button("en") == {"title": "Show more", "payload": "/show_more"}
    assert fmt.payload("show_more") == "/show_more"


def test_contact_answer_adds_the_project_office(tiny) -> None:
    text = fmt.contact_answer(tiny.project("owl-paderborn-digitales-buergerbuero"), tiny, "de")
    assert "Ansprechpartner für **Digitales Bürgerbüro**" in text
    assert "- Thorsten Unterberg – t.unterberg@paderborn.de" in text
    assert "Projektbüro der Modellregion OWL / Paderborn" in text
    assert "c.boschin-heinz@paderborn.de" in text


def test_contact_answer_without_contacts(tiny) -> None:
    text = fmt.contact_answer(tiny.project("land-gsp-integration"), tiny, "en")
    assert text == "The documents name no contact for **Gewerbe-Service-Portal NRW**."


def test_period_answer_says_what_date_the_facts_are_of(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    text = fmt.period_answer(project, tiny, "de", datetime.date(2026, 12, 2))
    assert "Laufzeit von **Digitales Bürgerbüro**: Oktober 2018 – Ende 2021" in text
    assert "- Q4/2019: Start Serviceportal" in text
    assert "Laut den Unterlagen vom Juli 2019 geplant bis Ende 2021" in text
    assert "Status laut Unterlagen vom Juli 2019: bewilligt / laufend" in text
    # before the planned end there is nothing to qualify
    early = fmt.period_answer(project, tiny, "de", datetime.date(2020, 1, 1))
    assert "geplant bis" not in early
    none = fmt.period_answer(tiny.project("soest-govbot"), tiny, "en", datetime.date(2026, 1, 1))
    assert "state no period" in none and "No milestones" in none


def test_a_day_precise_period_reads_as_months(tiny) -> None:
    from dataclasses import replace

    from index.domain import DatePoint, Period

    period = Period(
        "01.01.19 – 31.12.21",
        DatePoint("01.01.19", "2019-01-01", "day"),
        DatePoint("31.12.21", "2021-12-31", "day"),
    )
    project = replace(tiny.project("soest-govbot"), period=period)
    assert fmt.period_span(project, "de") == "Januar 2019 – Dezember 2021"
    assert fmt.period_span(project, "en") == "January 2019 – December 2021"
    text = fmt.period_answer(project, tiny, "de", datetime.date(2026, 12, 2))
    assert "Januar 2019 – Dezember 2021 (01.01.19 – 31.12.21)" in text


def test_transferability_answer(tiny) -> None:
    assert "„Übertragbarkeit ist gewährleistet“" in fmt.transferability_answer(
        tiny.project("soest-govbot"), "de"
    )
    assert "nichts Ausdrückliches" in fmt.transferability_answer(
        tiny.project("land-gsp-integration"), "de"
    )


def test_source_answer(tiny) -> None:
    project = tiny.project("soest-govbot")
    text = fmt.source_answer([(project.title, project.source)], "de")
    assert "Informationsveranstaltung „Digitales Nordrhein-Westfalen – Stadt der Zukunft“" in text
    assert "Folie „GovBot (in Planung)“" in text


def test_person_card(tiny) -> None:
    contact = tiny.project("soest-govbot").contacts[0]
    text = fmt.person_card(contact, ("soest-govbot", "soest"), tiny, "de")
    assert text.startswith("**Frau Gerke – u.gerke@soest.de**")
    assert "- **GovBot** (Soest) – Soest plant einen GovBot." in text
    assert "- Projektbüro / Kontakt der Modellregion Soest" in text


def test_regions_overview(tiny) -> None:
    text = fmt.regions_overview(tiny, "de")
    assert "**Digitale Modellregion OWL** – Leitkommune Stadt Paderborn; 1 Projekte" in text
    assert "**Landesebene** – 1 Projekte" in text


def test_topic_answer_is_shortened_with_source(tiny) -> None:
    text = fmt.topic_answer(tiny.topics[0], "en")
    assert text.startswith("**Ziel des Programms**")
    assert len(text) < fmt.TOPIC_TEXT_LIMIT + 400
    assert "…" in text and "_Source: Bericht des MWIDE" in text


def test_shorten_and_echo() -> None:
    assert fmt.shorten("kurz", 10) == "kurz"
    assert fmt.shorten("Ein Satz. Noch ein langer Satz hier.", 14) == "Ein Satz. …"
    assert fmt.shorten("Ein Satz. Noch ein langer Satz hier.", 20) == "Ein Satz. Noch ein …"
    assert fmt.echo("<b>Köln</b>*_[x](y)") == "b Köln /b x y"
    assert len(fmt.echo("x " * 200)) <= fmt.ECHO_LIMIT + 2


def test_with_note_only_in_english() -> None:
    assert fmt.with_note("Text", "de") == "Text"
    assert "German" in fmt.with_note("Text", "en")


def _mail(button: dict) -> tuple[str, dict[str, str]]:
    """(address, {subject, body}) of a hand-over button's mailto: URL."""
    scheme, _, rest = button["payload"].partition(":")
    assert scheme == "mailto" and button["url"] == button["payload"]
    address, _, query = rest.partition("?")
    return address, {k: v[0] for k, v in parse_qs(query, strict_parsing=True).items()}


def test_handover_is_a_prefilled_mail_to_the_contact(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    question = "Kann ich das Bürgerbüro auch am Samstag nutzen? & mehr"
    (button,) = fmt.project_handover(project, tiny, question, "de")
    assert button["title"] == "Nachricht an Thorsten Unterberg schreiben"
    address, fields = _mail(button)
    assert address == "t.unterberg@paderborn.de"
    assert fields["subject"] == "Frage zum Projekt „Digitales Bürgerbüro“"
    assert question in fields["body"]


def test_handover_in_english_and_only_with_an_address(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    (button,) = fmt.project_handover(govbot, tiny, "Who runs it?", "en")
    assert button["title"] == "Write to Frau Gerke"
    assert _mail(button)[1]["subject"] == "Question about the project “GovBot”"
    assert fmt.handover(Contact(name="Radandt", salutation="Herr"), "GovBot", "?", "de") is None
    assert fmt.project_handover(tiny.project("land-gsp-integration"), tiny, "?", "de") == []


def test_region_office_handover(tiny) -> None:
    office = tiny.region("owl-paderborn").contacts
    (button,) = fmt.handover_buttons(office, "OWL / Paderborn", "Wer hilft?", "de", kind="region")
    address, fields = _mail(button)
    assert address == "c.boschin-heinz@paderborn.de"
    assert fields["subject"] == "Frage an das Projektbüro der Modellregion OWL / Paderborn"


def test_the_question_is_the_citizens_own_words() -> None:
    assert fmt.asked("Wer ist da der Ansprechpartner?") == "Wer ist da der Ansprechpartner?"
    payload = '/project_contact{"project":"soest-govbot"}'
    assert fmt.asked(payload, {"text": "Projekte zu Open Data?"}) == "Projekte zu Open Data?"
    assert fmt.asked(payload, None) == ""


def test_person_handover_names_their_project(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    (contact,) = govbot.contacts
    (button,) = fmt.person_handover(contact, [govbot], "Wie erreiche ich Frau Gerke?", "de")
    assert _mail(button)[1]["subject"] == "Frage zum Projekt „GovBot“"
    (general,) = fmt.person_handover(contact, [], "?", "de")
    assert _mail(general)[1]["subject"] == "Frage zu den Digitalen Modellregionen NRW"
