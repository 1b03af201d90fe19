"""Reply texts and buttons from knowledge objects (pure functions, hand-made knowledge)."""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qs

import pytest

from actions import formatting as fmt
from actions.texts import t
from index.domain import Contact, DatePoint, Fact, Milestone, Period

LATER = datetime.date(2026, 12, 2)  # after every planned end
EARLY = datetime.date(2020, 1, 1)


def payload_of(button: dict) -> tuple[str, dict]:
    """(intent, entities) of a "/intent{json}" payload."""
    intent, _, entities = button["payload"][1:].partition("{")
    return intent, json.loads("{" + entities) if entities else {}


# --- cards ----------------------------------------------------------------------------------


def test_project_card_is_compact(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    card = fmt.project_card(project, tiny, "de")
    assert card.startswith("**Digitales Bürgerbüro** – Digitale Modellregion OWL, Stadt Paderborn")
    assert project.summary in card
    assert "Laufzeit: Oktober 2018 – Ende 2021" in card
    assert "Status laut Unterlagen vom Juli 2019: bewilligt / laufend" in card
    assert "Kontakt: Thorsten Unterberg – t.unterberg@paderborn.de" in card
    assert "Serviceportal" not in card  # the slide text is a button away ("Details")


def test_detailed_card_has_the_slide_text_without_picture_credits(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    card = fmt.project_card(project, tiny, "de", detailed=True)
    assert project.details in card and "• Mitarbeiter-App" in card
    assert "Foto:" not in card and "Jane Doe" not in card
    assert project.summary not in card  # the slide text instead of the one-line summary


def test_english_labels_german_facts(tiny) -> None:
    card = fmt.project_card(tiny.project("soest-govbot"), tiny, "en")
    assert "Period: not stated · Status as of the documents of July 2019: planned" in card
    assert "Contact: Frau Gerke – u.gerke@soest.de" in card
    assert "Soest plant einen GovBot." in card


def test_state_projects_name_the_actor(tiny) -> None:
    card = fmt.project_card(tiny.project("land-gsp-integration"), tiny, "de")
    assert "KDN (Landesebene)" in card
    assert "Kontakt: nicht angegeben" in card


def test_a_project_without_a_printed_status_claims_none(tiny) -> None:
    from dataclasses import replace

    project = replace(tiny.project("soest-govbot"), status=None)
    assert fmt.status_text(project, tiny, "de") == ""
    assert "Status" not in fmt.project_card(project, tiny, "de")


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


def test_a_dated_list_states_each_period(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    line = fmt.list_line(project, tiny, "de", 1, dates=True)
    head = "1. **Digitales Bürgerbüro** (Stadt Paderborn) – Oktober 2018 – Ende 2021:"
    assert line.startswith(head)


# --- buttons -------------------------------------------------------------------------------


def test_follow_up_buttons_name_the_project_and_the_aspect(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    buttons = fmt.follow_up_buttons(govbot, "de")
    assert [b["title"] for b in buttons] == [
        "Ansprechpartner: GovBot",
        "Laufzeit & Meilensteine: GovBot",
        "Übertragbarkeit: GovBot",
        "Quelle: GovBot",
    ]
    assert [payload_of(b) for b in buttons] == [
        ("project", {"project": "soest-govbot", "aspect": aspect})
        for aspect in ("contact", "period", "transferability", "source")
    ]
    english = fmt.follow_up_buttons(govbot, "en", without=("contact", "source"))
    assert [b["title"] for b in english] == [
        "Timeline & milestones: GovBot",
        "Transferability: GovBot",
    ]


def test_a_long_title_is_shortened_on_a_button(tiny) -> None:
    project = tiny.project("soest-langer-titel")
    assert len(project.title) > fmt.BUTTON_TITLE_LIMIT
    title = fmt.short_title(project)
    assert title == "Bürgerportal Soest"  # the shortest printed name of four letters or more
    (details,) = [fmt.details_button(project, "de")]
    assert details["title"] == f"Details: {title}"
    assert payload_of(details) == ("project", {"project": project.id, "aspect": "description"})


def test_choice_and_more_buttons(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    (choice,) = fmt.choice_buttons([govbot], tiny, "period")
    assert choice["title"] == "GovBot (Soest)"
    assert payload_of(choice) == ("project", {"project": "soest-govbot", "aspect": "period"})
    (plain,) = fmt.choice_buttons([govbot], tiny)
    assert payload_of(plain) == ("project", {"project": "soest-govbot"})
    assert fmt.more_button("en") == {"title": "Show more", "payload": "/show_more"}
    assert fmt.payload("show_more") == "/show_more"


def test_region_buttons(tiny) -> None:
    buttons = fmt.region_buttons(tiny.regions, "de")
    assert [b["title"] for b in buttons] == ["Projekte in OWL / Paderborn", "Projekte in Soest"]
    assert payload_of(buttons[1]) == ("region_projects", {"region": "soest"})


# --- contacts, periods, transferability, source ----------------------------------------------


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
    text = fmt.period_answer(project, tiny, "de", LATER)
    assert text.splitlines()[0] == t(
        "period_planned",
        "de",
        title="Digitales Bürgerbüro",
        period="Oktober 2018 – Ende 2021",
        date="Juli 2019",
    )
    assert "- Q4/2019: Start Serviceportal" in text
    assert "Status laut Unterlagen vom Juli 2019: bewilligt / laufend" in text
    # before the planned end there is nothing to qualify
    early = fmt.period_answer(project, tiny, "de", EARLY)
    first = "Laufzeit von **Digitales Bürgerbüro**: Oktober 2018 – Ende 2021"
    assert early.splitlines()[0] == first
    none = fmt.period_answer(tiny.project("soest-govbot"), tiny, "en", LATER)
    assert "state no period" in none and "No milestones" in none


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "project_id", ["owl-paderborn-digitales-buergerbuero", "soest-langer-titel"]
)
def test_the_period_is_stated_once(tiny, language: str, project_id: str) -> None:
    """A period printed with months ("August 2019 – Juni 2021") is stated once, in either
    language: the end appears once in the answer's first line."""
    project = tiny.project(project_id)
    assert project.period is not None and project.period.end is not None
    first = fmt.period_answer(project, tiny, language, LATER).splitlines()[0]
    end = fmt.point_text(project.period.end, language)
    assert first.count(end) == 1, first
    assert first.count(project.period.end.year.__str__()) == 1, first


def test_a_day_precise_period_reads_as_months_with_the_printed_dates(tiny) -> None:
    from dataclasses import replace

    period = Period(
        "01.01.19 – 31.12.21",
        DatePoint("01.01.19", "2019-01-01", "day"),
        DatePoint("31.12.21", "2021-12-31", "day"),
    )
    project = replace(tiny.project("soest-govbot"), period=period)
    assert fmt.period_span(project, "de") == "Januar 2019 – Dezember 2021"
    assert fmt.period_span(project, "en") == "January 2019 – December 2021"
    text = fmt.period_answer(project, tiny, "de", LATER)
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


# --- people, regions, topics ---------------------------------------------------------------


def test_person_card(tiny) -> None:
    contact = tiny.project("soest-govbot").contacts[0]
    text = fmt.person_card(contact, ("soest-govbot", "soest"), tiny, "de")
    assert text.startswith("**Frau Gerke – u.gerke@soest.de**")
    assert "- **GovBot** (Soest) – Soest plant einen GovBot." in text
    assert "- Projektbüro / Kontakt der Modellregion Soest" in text


def test_regions_overview(tiny) -> None:
    text = fmt.regions_overview(tiny, "de")
    for region in tiny.regions:
        count = sum(p.region == region.id for p in tiny.projects)
        line = f"**{region.name}** – Leitkommune {region.lead_municipality}; {count} Projekte"
        assert line in text
    state = sum(p.region is None for p in tiny.projects)
    assert f"**Landesebene** – {state} Projekte" in text


def test_topic_answer_is_shortened_with_source(tiny) -> None:
    text = fmt.topic_answer(tiny.topics[0], "en")
    assert text.startswith("**Ziel des Programms**")
    assert len(text) < fmt.TOPIC_TEXT_LIMIT + 400
    assert "…" in text and "_Source: Bericht des MWIDE" in text


def test_facts_answer_quotes_the_facts_with_their_source(tiny) -> None:
    topic = tiny.topics[0]
    facts = [Fact(topic.id, 0, "Erster Satz."), Fact(topic.id, 3, "Vierter Satz mit 40 %.")]
    lines = fmt.facts_answer(topic, facts, "de").splitlines()
    assert lines[0] == f"**{topic.title}**"
    assert lines[1:3] == ["„Erster Satz.“", "„Vierter Satz mit 40 %.“"]
    assert lines[3].startswith("_Quelle: Bericht des MWIDE") and topic.source.location in lines[3]


# --- the timeline picture ----------------------------------------------------------------------


def test_positions_on_the_timeline() -> None:
    assert fmt.year_position("2019") == 2019.0
    assert fmt.year_position("2019", end=True) == 2020.0
    assert fmt.year_position("2019-07") == pytest.approx(2019.5)
    assert fmt.year_position("2019-07", end=True) == pytest.approx(2019 + 7 / 12)
    assert fmt.milestone_position("09/2019") == pytest.approx(2019 + 8.5 / 12)
    assert fmt.milestone_position("Anfang 2020") == pytest.approx(2020.1)
    assert fmt.milestone_position("M 1") is None


def test_timeline_has_a_row_per_dated_project(tiny) -> None:
    dated = tiny.project("owl-paderborn-digitales-buergerbuero")
    picture = fmt.timeline([dated, tiny.project("soest-govbot")], "en")
    assert picture is not None
    line = picture["timeline"]
    assert (line["from"], line["to"], line["label"]) == (2018, 2022, "Timeline")
    (row,) = line["rows"]  # GovBot has no dates
    assert row["title"] == dated.title and row["period"] == dated.period.printed
    assert row["start"] < row["end"]
    assert [m["text"] for m in row["milestones"]] == ["Q4/2019: Start Serviceportal"]
    assert fmt.timeline([tiny.project("soest-govbot")], "de") is None


def test_a_milestone_without_a_date_is_no_mark(tiny) -> None:
    from dataclasses import replace

    project = replace(
        tiny.project("soest-langer-titel"),
        milestones=(Milestone("09/2019", "Start"), Milestone("M 2", "Betrieb")),
    )
    picture = fmt.timeline([project], "de")
    assert picture is not None
    (row,) = picture["timeline"]["rows"]
    assert [m["text"] for m in row["milestones"]] == ["09/2019: Start"]


# --- small pieces -------------------------------------------------------------------------


def test_shorten_and_echo() -> None:
    assert fmt.shorten("kurz", 10) == "kurz"
    assert fmt.shorten("Ein Satz. Noch ein langer Satz hier.", 14) == "Ein Satz. …"
    assert fmt.shorten("Ein Satz. Noch ein langer Satz hier.", 20) == "Ein Satz. Noch ein …"
    assert fmt.echo("<b>Köln</b>*_[x](y)") == "b Köln /b x y"
    assert len(fmt.echo("x " * 200)) <= fmt.ECHO_LIMIT + 2


def test_with_note_only_in_english() -> None:
    assert fmt.with_note("Text", "de") == "Text"
    assert "German" in fmt.with_note("Text", "en")


# --- hand-over: a prefilled mail the citizen sends -----------------------------------------------


def _mail(button: dict) -> tuple[str, dict[str, str]]:
    """(address, {subject, body}) of a hand-over button's mailto: URL."""
    scheme, _, rest = button["payload"].partition(":")
    assert scheme == "mailto" and button["url"] == button["payload"]
    address, _, query = rest.partition("?")
    return address, {k: v[0] for k, v in parse_qs(query, strict_parsing=True).items()}


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\r\n\r\n") if p.strip()]


def test_handover_is_a_prefilled_mail_in_parts(tiny) -> None:
    project = tiny.project("owl-paderborn-digitales-buergerbuero")
    question = "Hallo, kann ich das Bürgerbüro auch am Samstag nutzen? & mehr. Vielen Dank!"
    (button,) = fmt.project_handover(project, tiny, question, "de")
    assert button["title"] == "Nachricht an Thorsten Unterberg schreiben"
    address, fields = _mail(button)
    assert address == "t.unterberg@paderborn.de"
    assert fields["subject"] == "Frage zum Projekt „Digitales Bürgerbüro“"
    assert _paragraphs(fields["body"]) == [
        t("handover_greeting", "de"),
        t("handover_about_project", "de", about=project.title),
        "kann ich das Bürgerbüro auch am Samstag nutzen? & mehr",  # without greeting and thanks
        t("handover_closing", "de"),
        t("handover_origin", "de", date="Juli 2019"),  # the documents' date
    ]


def test_handover_in_english_and_only_with_an_address(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    (button,) = fmt.project_handover(govbot, tiny, "Who runs it?", "en")
    assert button["title"] == "Write to Frau Gerke"
    fields = _mail(button)[1]
    assert fields["subject"] == "Question about the project “GovBot”"
    assert _paragraphs(fields["body"])[0] == "Hello,"
    assert "Who runs it?" in _paragraphs(fields["body"])
    assert fmt.handover(Contact(name="Radandt", salutation="Herr"), "GovBot", "?", "de") is None
    assert fmt.project_handover(tiny.project("land-gsp-integration"), tiny, "?", "de") == []


def test_handover_without_a_question_leaves_room_for_one(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    (button,) = fmt.project_handover(govbot, tiny, '/project{"project":"soest-govbot"}', "de")
    assert t("handover_no_question", "de") in _paragraphs(_mail(button)[1]["body"])


def test_a_project_without_an_address_hands_over_to_its_region_s_office(tiny) -> None:
    from dataclasses import replace

    project = replace(tiny.project("owl-paderborn-digitales-buergerbuero"), contacts=())
    (button,) = fmt.project_handover(project, tiny, "Wer hilft?", "de")
    address, fields = _mail(button)
    assert address == "c.boschin-heinz@paderborn.de"
    assert fields["subject"] == "Frage an das Projektbüro der Modellregion OWL / Paderborn"


def test_person_handover_names_their_project(tiny) -> None:
    govbot = tiny.project("soest-govbot")
    (contact,) = govbot.contacts
    (button,) = fmt.person_handover(
        contact, [govbot], "Wie erreiche ich Frau Gerke?", "de", as_of="Juli 2019"
    )
    assert _mail(button)[1]["subject"] == "Frage zum Projekt „GovBot“"
    (general,) = fmt.person_handover(contact, [], "?", "de", as_of="Juli 2019")
    fields = _mail(general)[1]
    assert fields["subject"] == "Frage zu den Digitalen Modellregionen NRW"
    assert t("handover_origin", "de", date="Juli 2019") in fields["body"]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Wer ist da der Ansprechpartner?", "Wer ist da der Ansprechpartner?"),
        ("Hallo! Guten Tag, wer hilft mir?", "wer hilft mir?"),
        ("Good morning, who runs it? Thanks", "who runs it?"),
        ("Hi", "Hi"),  # nothing but a greeting stays what it is
        ('/project{"project":"soest-govbot"}', ""),  # a button asks nothing in words
        ("Danke für die Hilfe, wie lange läuft es?", "Danke für die Hilfe, wie lange läuft es?"),
    ],
)
def test_the_mail_quotes_the_question_without_greeting_and_thanks(text: str, plain: str) -> None:
    assert fmt.plain_question(text) == plain


def test_the_quoted_question_is_bounded() -> None:
    assert len(fmt.plain_question("Frage " * 500)) == fmt.QUESTION_LIMIT
