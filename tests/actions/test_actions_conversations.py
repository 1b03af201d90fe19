"""`action_answer` in multi-turn conversations, with real rasa_sdk trackers and dispatchers and
the real retriever on the built index. The NLU's learned reading (kind, facets) is given by the
test (the NLU is tested in tests/rasa); names, language and embedding are computed as the
pipeline computes them; button payloads are parsed by Rasa's own handler. The expected facts
are read from the knowledge, never copied into the test."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from actions import deps
from actions.formatting import PAGE_SIZE, short_title
from actions.texts import t

pytestmark = pytest.mark.slow

KITA = "soest-digitale-buergerdienstleistungen-folgeantrag"
SOEST_SERVICES = {
    "soest-digitale-buergerdienstleistungen-buergerportal",
    "soest-digitale-buergerdienstleistungen-folgeantrag",
    "soest-digitale-buergerdienstleistungen-online-bewerbungsverfahren",
}


def mail(button: dict) -> dict[str, str]:
    """{to, subject, body} of a hand-over button."""
    parts = urlsplit(button["url"])
    fields = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return {"to": parts.path, **fields}


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\r\n\r\n") if p.strip()]


def project_of(payload: str) -> str:
    return json.loads(payload[payload.index("{") :])["project"]


# --- a project found by its description, and what follows ----------------------------------


def test_topic_search_answers_with_the_compact_card(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    region = retriever.knowledge.region("soest")
    answer = chat.say("Gibt es Projekte zur Kita-Anmeldung in Soest?", "topic")
    assert answer.kind == "answer"
    assert f"**{project.title}**" in answer.text
    assert region.name in answer.text
    assert project.summary in answer.text
    assert project.details not in answer.text  # the slide text is behind "Details"
    for contact in project.contacts:
        assert contact.email and contact.email in answer.text  # exactly as printed
    name = short_title(project)
    assert answer.titles == [
        f"Details: {name}",
        f"Ansprechpartner: {name}",
        f"Laufzeit & Meilensteine: {name}",
        f"Übertragbarkeit: {name}",
        f"Quelle: {name}",
        *[f"Nachricht an {c.display_name} schreiben" for c in project.contacts if c.email][:2],
    ]
    assert answer.slot("current_project") == KITA
    assert answer.slot("language") == "de" and answer.slot("last_kind") == "topic"


def test_follow_ups_refer_to_the_project_shown(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")

    contact = chat.say("Und wer ist da der Ansprechpartner?", "project", ["contact", "context"])
    assert project.title in contact.text
    assert all(c.email in contact.text for c in project.contacts if c.email)

    period = chat.say("Wie lange läuft das?", "project", ["period", "context"])
    assert project.period is not None and project.period.end is not None
    assert all(m.what in period.text for m in project.milestones)

    transfer = chat.say("Ist das übertragbar?", "project", ["transferability", "context"])
    assert project.transferability and project.transferability in transfer.text

    source = chat.say("Woher stammt das?", "project", ["source", "context"])
    assert project.source.document_title in source.text
    assert project.source.location in source.text


def test_the_period_is_stated_once_with_the_documents_date(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    period = chat.say("Wie lange läuft das?", "project", ["period", "context"])
    first = period.text.splitlines()[0]
    assert project.period is not None and project.period.end is not None
    assert first.count(str(project.period.end.year)) == 1, first
    assert "Juli 2019" in first  # the documents' date: the end has passed since
    (picture,) = period.pictures
    assert [row["title"] for row in picture["timeline"]["rows"]] == [project.title]


def test_buttons_carry_the_project_and_the_aspect(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    first = chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    button = first.button("Laufzeit")
    assert json.loads(button["payload"][len("/project") :]) == {
        "project": KITA,
        "aspect": "period",
    }
    chat.slots.clear()  # a button works without any context
    period = chat.press(first, "Laufzeit")
    assert project.milestones and all(m.what in period.text for m in project.milestones)
    details = chat.press(first, "Details")
    assert project.details in details.text


def test_a_button_under_an_older_answer_still_asks_about_its_project(chat, retriever) -> None:
    """Buttons are labelled with their project: pressing one under an earlier answer asks
    about that project, not the one shown last."""
    kita = chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    govbot = retriever.knowledge.project("soest-govbot")
    chat.say("Gibt es ein Projekt mit einem Chatbot in Soest?", "topic")
    assert chat.slots["current_project"] == govbot.id
    contact = chat.press(kita, "Ansprechpartner")
    assert retriever.knowledge.project(KITA).title in contact.text
    assert govbot.title not in contact.text
    assert contact.slot("current_project") == KITA


def test_ambiguous_name_asks_back_with_buttons(chat) -> None:
    answer = chat.say(
        "Erzähl mir was über Digitale Bürgerdienstleistungen", "project", ["description"]
    )
    assert answer.kind == "ask"
    assert answer.text.startswith(t("which_project", "de"))
    assert {project_of(p) for p in answer.payloads} == SOEST_SERVICES
    assert set(answer.slot("shown_projects")) == SOEST_SERVICES
    assert answer.slot("current_project") is None


def test_selection_by_position_then_follow_up(chat, retriever) -> None:
    choice = chat.say(
        "Erzähl mir was über Digitale Bürgerdienstleistungen", "project", ["description"]
    )
    second_id = choice.slot("shown_projects")[1]
    second = retriever.knowledge.project(second_id)
    picked = chat.say("das zweite", "select_item")
    assert f"**{second.title}**" in picked.text
    assert second.summary in picked.text
    assert picked.slot("current_project") == second_id
    contact = chat.say("Wer ist der Ansprechpartner?", "project", ["contact", "context"])
    assert all(c.email in contact.text for c in second.contacts if c.email)


def test_a_follow_up_after_a_long_list_asks_which_project(chat) -> None:
    listing = chat.say("Welche Projekte gibt es in Soest?", "region_projects")
    assert listing.slot("current_project") is None
    shown = listing.slot("shown_projects")
    assert len(shown) > 3
    answer = chat.say("Wie lange läuft das?", "project", ["period", "context"])
    assert answer.kind == "ask" and answer.text.startswith(t("which_project", "de"))
    assert answer.payloads == [
        "/project" + json.dumps({"project": i, "aspect": "period"}, separators=(",", ":"))
        for i in shown
    ]


def test_a_follow_up_about_a_short_list_answers_for_each(chat, retriever) -> None:
    listing = chat.say("welche Projekte laufen 2021 in Soest", "region_projects")
    shown = listing.slot("shown_projects")
    assert 1 < len(shown) <= 3
    answer = chat.say("Und wer ist für die zuständig?", "project", ["contact", "context"])
    for project_id in shown:
        for contact in retriever.knowledge.project(project_id).contacts:
            assert not contact.email or contact.email in answer.text


# --- lists ------------------------------------------------------------------------------


def test_region_and_year(chat, retriever) -> None:
    answer = chat.say("welche Projekte laufen 2021 in Soest", "region_projects")
    results = answer.slot("last_query")["results"]
    expected = [
        p.id
        for p in retriever.knowledge.projects
        if p.region == "soest" and p.period and p.period.active_in(2021)
    ]
    assert results == expected and results
    assert "2021" in answer.text and "Soest" in answer.text
    assert answer.slot("current_region") == "soest"


def test_a_list_that_fits_a_phone_screen_is_shown_whole(chat, retriever) -> None:
    answer = chat.say("Welche Projekte gibt es in Paderborn?", "region_projects")
    owl = [p for p in retriever.knowledge.projects if p.region == "owl-paderborn"]
    assert 3 < len(owl) <= PAGE_SIZE
    for project in owl:
        assert project.title in answer.text
    assert t("button_more", "de") not in answer.titles


def test_show_more_pages_through_a_long_listing_in_its_format(chat, retriever) -> None:
    first = chat.say("Welche Projekte laufen 2020?", "period_filter")
    results = first.slot("last_query")["results"]
    assert len(results) > PAGE_SIZE and t("button_more", "de") in first.titles
    assert first.slot("last_query")["dates"] and first.pictures  # periods and the timeline
    more = chat.press(first, t("button_more", "de"))
    assert f"Weitere Projekte ({PAGE_SIZE + 1}–" in more.text
    next_one = retriever.knowledge.project(results[PAGE_SIZE])
    line = next(x for x in more.text.splitlines() if x.startswith(f"{PAGE_SIZE + 1}. "))
    assert f"**{next_one.title}**" in line
    assert next_one.period is not None and next_one.period.start is not None
    assert str(next_one.period.start.year) in line  # page 2 states the periods like page 1
    assert more.pictures  # and draws them
    assert more.slot("offset") == min(2 * PAGE_SIZE, len(results))


def test_filter_the_shown_list_by_place(chat, retriever) -> None:
    listing = chat.say("Welche Projekte gibt es zum Thema Open Data?", "topic")
    results = listing.slot("last_query")["results"]
    in_paderborn = [i for i in results if retriever.knowledge.project(i).region == "owl-paderborn"]
    assert in_paderborn and len(in_paderborn) < len(results)
    narrowed = chat.say("Welches davon ist in Paderborn?", "region_projects", ["context"])
    assert narrowed.slot("last_query")["results"] == in_paderborn
    for project_id in in_paderborn:
        assert retriever.knowledge.project(project_id).title in narrowed.text


def test_unknown_place(chat, retriever) -> None:
    answer = chat.say("Welche Projekte gibt es in Köln?", "region_projects")
    assert answer.kind == "none"
    assert answer.text.startswith(t("unknown_place", "de", place="Köln").split(" Die")[0])
    assert len(answer.buttons) == len(retriever.knowledge.regions)


# --- nothing in the documents ---------------------------------------------------------------


def test_nothing_found_offers_the_region_office(chat, retriever) -> None:
    answer = chat.say("Gibt es in Paderborn Projekte zur Raumfahrt?", "topic", ["unanswerable"])
    assert answer.kind == "none"
    office = retriever.knowledge.region("owl-paderborn").contacts[0]
    assert office.email and office.email in answer.text
    assert not any(p.title in answer.text for p in retriever.knowledge.projects)


def test_nothing_found_without_region_offers_the_programme_contact(chat, retriever) -> None:
    answer = chat.say("Gibt es Projekte zur Raumfahrt?", "topic", ["unanswerable"])
    assert answer.kind == "none"
    mwide = next(a for a in retriever.knowledge.actors if a.id == "mwide")
    assert any(c.email and c.email in answer.text for c in mwide.contacts)
    assert "**" not in answer.text.split("\n")[0]  # no project presented


def test_a_project_nobody_has_is_said_to_be_unknown(chat) -> None:
    chat.say("Welche Projekte gibt es zu Open Data?", "topic")  # a context exists
    answer = chat.say(
        "Wer ist der Ansprechpartner für das Projekt Bürgerbus Minden?", "project", ["contact"]
    )
    assert answer.kind == "none"
    assert answer.text == t("project_unknown", "de", name="Bürgerbus Minden")
    assert "@" not in answer.text


# --- people ----------------------------------------------------------------------------------


def test_person_by_name_and_by_salutation(chat, retriever) -> None:
    people = {c.name: c for c, _ in retriever.knowledge.contacts()}
    sommer = chat.say("wer ist Nicole Sommer", "person")
    assert people["Nicole Sommer"].email in sommer.text
    assert sommer.slot("shown_projects")
    vom_sondern = chat.say("wie erreiche ich Herrn vom Sondern", "person", ["contact"])
    assert "Manfred vom Sondern" in vom_sondern.text
    assert people["Manfred vom Sondern"].email in vom_sondern.text
    unknown = chat.say("Wer ist Max Mustermann?", "person")
    assert unknown.kind == "none" and unknown.text == t("person_unknown", "de")


def test_a_region_office_is_no_person(chat, retriever) -> None:
    office = retriever.knowledge.region("bergisches-staedtedreieck").contacts[0]
    answer = chat.say("Wie erreiche ich das Projektbüro in Wuppertal?", "person", ["contact"])
    assert office.email and office.email in answer.text


def test_a_person_s_projects_have_one_line_each(chat, retriever) -> None:
    project = retriever.knowledge.project("owl-paderborn-zeonline")
    person = project.contacts[0]
    answer = chat.say(f"Wofür ist {person.name} zuständig?", "person")
    assert f"**{project.title}**" in answer.text
    line = next(x for x in answer.text.splitlines() if project.title in x)
    assert " – " in line  # title, place and what it is


# --- languages ----------------------------------------------------------------------------


def test_english_conversation(chat, retriever) -> None:
    govchain = retriever.knowledge.project("aachen-govchain-nrw")
    answer = chat.say("Which projects are there about blockchain?", "topic")
    assert answer.slot("language") == "en"
    assert f"**{govchain.title}**" in answer.text
    assert "Contact:" in answer.text and "in German" in answer.text
    assert answer.titles[1] == f"Contact: {short_title(govchain)}"
    contact = chat.say("Who is the contact?", "project", ["contact", "context"])
    assert f"Contact for **{govchain.title}**" in contact.text
    source = chat.say("Where does this come from?", "project", ["source", "context"])
    assert source.text.startswith("This comes from:")
    button = chat.press(contact, "Timeline")
    assert button.slot("language") == "en"  # a button payload keeps the language
    assert button.text.startswith(f"Period of **{govchain.title}**")


# --- the programme and Stadt.Land.Digital ---------------------------------------------------


def test_programme_background_and_its_source(chat, retriever) -> None:
    criteria = next(t for t in retriever.knowledge.topics if t.id == "programm-auswahlkriterien")
    answer = chat.say("Was waren die Auswahlkriterien?", "programme")
    assert answer.text.startswith(f"**{criteria.title}**")
    assert any(f"„{fact.text}“" in answer.text for fact in criteria.facts)  # quoted, printed
    assert f"{t('label_source', 'de')}: {criteria.source.document_title}" in answer.text
    source = chat.say("Woher stammt das?", "project", ["source", "context"])
    assert criteria.source.document_title in source.text
    assert criteria.source.location in source.text


def test_a_stadt_land_digital_figure_is_quoted_with_its_source(chat, retriever) -> None:
    contest = next(t for t in retriever.knowledge.topics if t.id == "stadt-land-digital-wettbewerb")
    answer = chat.say(
        "Wie viele Beiträge gab es beim Wettbewerb von Stadt.Land.Digital?",
        "stadt_land_digital",
        ["figure"],
    )
    assert answer.kind == "answer"
    quoted = [f for f in contest.facts if f"„{f.text}“" in answer.text]
    assert quoted and any("Beitr" in f.text and any(c.isdigit() for c in f.text) for f in quoted)
    assert contest.source.location in answer.text
    more = chat.press(answer, t("button_topic_more", "de"))
    assert more.text.startswith(f"**{contest.title}**")


def test_programme_money_in_everyday_words(chat) -> None:
    funding = chat.say("Wie viel Geld gibt es dafür?", "programme")
    assert funding.slot("last_documents") == ["programm-finanzierung"]


def test_a_programme_question_the_documents_do_not_answer(chat, retriever) -> None:
    unknown = chat.say("Was bedeutet Raumfahrt für das Programm?", "programme", ["unanswerable"])
    assert unknown.kind == "none"
    assert unknown.text.startswith(t("unanswered", "de", title="@").split("@")[0])
    topic_button = next(
        b
        for b in unknown.buttons
        if b["payload"].startswith("/programme") and b["title"] != t("button_topic_more", "de")
    )
    chosen = chat.send_payload(topic_button["payload"])
    assert chosen.text.startswith(f"**{topic_button['title']}**")


# --- small talk, refusals, errors ------------------------------------------------------------


def test_small_talk_the_action_answers(chat) -> None:
    challenge = chat.say("Are you a bot?", "bot_challenge")
    assert challenge.kind == "talk" and challenge.text == t("bot_challenge", "en")
    assert chat.say("ja", "affirm").text == t("affirm", "de")


def test_greetings_are_the_domain_s_not_the_action_s(chat) -> None:
    with pytest.raises(AssertionError, match="utter_greet"):
        chat.say("Hallo", "greet")


def test_out_of_scope_gets_a_polite_reply(chat) -> None:
    weather = chat.say("Wie wird das Wetter morgen?", "out_of_scope")
    assert weather.kind == "none" and weather.text.startswith(t("out_of_scope", "de"))


def test_nonsense_is_not_understood(chat) -> None:
    nonsense = chat.say("xkcd qwrtz blub", "nlu_fallback", confidence=0.2)
    assert nonsense.text == t("not_understood", "de")


def test_html_input_gets_a_polite_reply_and_keeps_the_context(chat) -> None:
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    before = dict(chat.slots)
    for text in (
        "<script>alert('x')</script><b>Projekte</b> zur <i>Kita-Anmeldung</i>",
        "<img src=x onerror=alert(1)>",
        "&lt;iframe src=javascript:alert(1)&gt;",
    ):
        answer = chat.say(text, "project")
        assert answer.kind == "refusal" and answer.text == t("markup", "de")
        assert [e["name"] for e in answer.events] == ["language"]
    assert chat.slots == before


def test_too_long_input_keeps_the_context(chat) -> None:
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    before = dict(chat.slots)
    answer = chat.say("Projekte " * 200, "topic")
    assert answer.kind == "refusal" and "zu lang" in answer.text
    assert chat.slots == before
    later = chat.say("Wie lange läuft das?", "project", ["period", "context"])
    assert later.slot("current_project") == KITA


def test_selection_without_a_list(chat) -> None:
    assert chat.say("das zweite", "select_item").text == t("select_no_list", "de")
    assert chat.say("Mehr anzeigen", "show_more").text == t("nothing_to_show_more", "de")


def test_an_error_becomes_an_apology(chat) -> None:
    class Broken:
        def __getattr__(self, name: str):
            raise RuntimeError("index exploded")

    deps.set_retriever(Broken())  # type: ignore[arg-type]
    answer = chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    assert answer.kind == "refusal" and answer.text == t("error", "de")
    assert [e["name"] for e in answer.events] == ["language"]


# --- a subject within a place --------------------------------------------------------------


def test_a_subject_within_a_region(chat, retriever) -> None:
    govbot = retriever.knowledge.project("soest-govbot")
    answer = chat.say("Is there a chatbot in Soest?", "topic")
    assert f"**{govbot.title}**" in answer.text and answer.slot("language") == "en"


def test_an_unknown_subject_within_a_region_is_nothing(chat, retriever) -> None:
    nothing = chat.say("Gibt es in Gelsenkirchen etwas zu Raumfahrt?", "topic", ["unanswerable"])
    assert not any(p.title in nothing.text for p in retriever.knowledge.projects)


def test_the_action_searches_with_the_nlus_embedding(chat, real_retriever, monkeypatch) -> None:
    """The NLU embedded the message once; the action's searches (with the place and, when that
    finds nothing, without it) embed nothing more."""
    embedder = real_retriever.embedder
    monkeypatch.setattr(embedder.query_cache, "size", 0)  # count real embeddings only
    from tests.parses import nlu_parse

    parse = nlu_parse("Gibt es in Paderborn eigentlich Projekte zur Raumfahrt?", "topic",
                      retriever=real_retriever)  # fmt: skip
    embedded: list[str] = []
    real = embedder.embed_queries

    def counting(texts: list[str]):
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedder, "embed_queries", counting)
    chat.send(parse)
    assert embedded == []


def test_an_invented_place_with_markup_is_never_echoed(chat) -> None:
    """A forged button payload names a place that is no region id, with markup in it: the
    reply ignores it (the regions' overview) and repeats none of it."""
    injected = "Lippstadt **Wichtig:** [hier neu anmelden](https://example.org/login)"
    answer = chat.send_payload("/region_projects" + json.dumps({"region": injected}))
    assert "**Wichtig" not in answer.text and "](" not in answer.text, answer.text
    assert "example.org" not in answer.text


# --- the hand-over mail ---------------------------------------------------------------------


def test_the_hand_over_quotes_the_question_without_its_greeting(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    answer = chat.say("Hallo! Gibt es Projekte zur Kita-Anmeldung in Soest? Danke!", "topic")
    fields = mail(answer.button("Nachricht an"))
    assert fields["subject"] == t("handover_subject_project", "de", about=project.title)
    assert paragraphs(fields["body"]) == [
        t("handover_greeting", "de"),
        t("handover_about_project", "de", about=project.title),
        "Gibt es Projekte zur Kita-Anmeldung in Soest?",
        t("handover_closing", "de"),
        t("handover_origin", "de", date="Juli 2019"),
    ]
    assert fields["to"] in {c.email for c in project.contacts}


def test_a_follow_up_s_hand_over_quotes_the_question_that_led_there(chat) -> None:
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "topic")
    contact = chat.say("Und wer ist da der Ansprechpartner?", "project", ["contact", "context"])
    body = paragraphs(mail(contact.button("Nachricht an"))["body"])
    assert "Gibt es Projekte zur Kita-Anmeldung?" in body
    assert "Und wer ist da der Ansprechpartner?" not in body
    pressed = chat.press(contact, "Laufzeit")  # a button asks nothing in words
    assert "Gibt es Projekte zur Kita-Anmeldung?" in paragraphs(
        mail(pressed.button("Nachricht an"))["body"]
    )


def test_a_hand_over_after_a_list_quotes_the_question_of_the_list(chat, retriever) -> None:
    listing = chat.say("Welche Projekte gibt es zu Open Data?", "topic")
    first = retriever.knowledge.project(listing.slot("shown_projects")[0])
    assert len(listing.slot("shown_projects")) > 1
    card = chat.press(listing, first.title)
    body = paragraphs(mail(card.button("Nachricht an"))["body"])
    assert "Welche Projekte gibt es zu Open Data?" in body
    contact = chat.press(card, "Ansprechpartner")
    body = paragraphs(mail(contact.button("Nachricht an"))["body"])
    assert "Welche Projekte gibt es zu Open Data?" in body
