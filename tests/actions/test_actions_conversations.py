"""The actions in multi-turn conversations, with real rasa_sdk trackers and dispatchers and the
real retriever on the built index. Intents and entities are given (the NLU is tested in
tests/rasa); the expected facts are read from the knowledge, never copied into the test."""

from __future__ import annotations

import json

import pytest

from actions import deps
from actions.formatting import PAGE_SIZE

pytestmark = pytest.mark.slow

KITA = "soest-digitale-buergerdienstleistungen-folgeantrag"
SOEST_SERVICES = {
    "soest-digitale-buergerdienstleistungen-buergerportal",
    "soest-digitale-buergerdienstleistungen-folgeantrag",
    "soest-digitale-buergerdienstleistungen-online-bewerbungsverfahren",
}


def test_topic_search_answers_with_the_project_card(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    region = retriever.knowledge.region("soest")
    answer = chat.say("Gibt es Projekte zur Kita-Anmeldung in Soest?", "projects_by_topic")
    assert f"**{project.title}**" in answer.text
    assert region.name in answer.text
    assert project.summary in answer.text
    assert project.period is not None and project.period.printed in answer.text
    for contact in project.contacts:
        assert contact.email and contact.email in answer.text  # exactly as printed
    assert [b["title"] for b in answer.buttons] == [
        "Ansprechpartner",
        "Laufzeit & Meilensteine",
        "Übertragbarkeit",
        "Quelle",
        *[f"Nachricht an {c.display_name} schreiben" for c in project.contacts if c.email][:2],
    ]
    assert answer.slot("current_project") == KITA
    assert answer.slot("language") == "de"


def test_follow_ups_refer_to_the_project_shown(chat, retriever) -> None:
    project = retriever.knowledge.project(KITA)
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "projects_by_topic")

    contact = chat.say("Und wer ist da der Ansprechpartner?", "project_contact")
    assert project.title in contact.text
    assert all(c.email in contact.text for c in project.contacts if c.email)

    period = chat.say("Wie lange läuft das?", "project_period")
    assert project.period is not None and project.period.printed in period.text
    assert all(m.what in period.text for m in project.milestones)

    transfer = chat.say("Ist das übertragbar?", "transferability")
    assert project.transferability and project.transferability in transfer.text

    source = chat.say("Woher stammt das?", "ask_source")
    assert project.source.document_title in source.text
    assert project.source.location in source.text


def test_buttons_carry_the_project(chat, retriever) -> None:
    first = chat.say("Gibt es Projekte zur Kita-Anmeldung?", "projects_by_topic")
    chat.slots.clear()  # a button works without any context
    period = chat.press(first, "Laufzeit")
    project = retriever.knowledge.project(KITA)
    assert project.period is not None and project.period.printed in period.text


def test_ambiguous_name_asks_back_with_buttons(chat) -> None:
    answer = chat.say(
        "Erzähl mir was über Digitale Bürgerdienstleistungen",
        "project_details",
        [("project", "Digitale Bürgerdienstleistungen")],
    )
    assert "Welches meinen Sie?" in answer.text
    chosen = {p.split('"project":"')[1].rstrip('"}') for p in answer.payloads}
    assert chosen == SOEST_SERVICES
    assert set(answer.slot("shown_projects")) == SOEST_SERVICES
    assert answer.slot("current_project") is None


def test_selection_by_position_then_follow_up(chat, retriever) -> None:
    choice = chat.say("Erzähl mir was über Digitale Bürgerdienstleistungen", "project_details")
    second_id = choice.slot("shown_projects")[1]
    second = retriever.knowledge.project(second_id)
    picked = chat.say("das zweite", "select_item")
    assert f"**{second.title}**" in picked.text
    assert second.description.strip().splitlines()[0] in picked.text
    assert picked.slot("current_project") == second_id
    contact = chat.say("Wer ist der Ansprechpartner?", "project_contact")
    assert all(c.email in contact.text for c in second.contacts if c.email)


def test_follow_up_after_a_list_asks_which_project(chat) -> None:
    listing = chat.say(
        "Welche Projekte gibt es in Soest?", "region_projects", [("region", "Soest")]
    )
    assert listing.slot("current_project") is None
    shown = listing.slot("shown_projects")
    answer = chat.say("Wie lange läuft das?", "project_period")
    assert "Welches meinen Sie?" in answer.text
    assert answer.payloads == [f'/project_period{{"project":"{i}"}}' for i in shown]


def test_region_and_year(chat, retriever) -> None:
    answer = chat.say(
        "welche Projekte laufen 2021 in Soest",
        "region_projects",
        [("region", "Soest", "soest"), ("year", "2021")],
    )
    results = answer.slot("last_query")["results"]
    expected = [
        p.id
        for p in retriever.knowledge.projects
        if p.region == "soest" and p.period and p.period.active_in(2021)
    ]
    assert results == expected and results
    assert "2021" in answer.text and "Soest" in answer.text


def test_a_list_that_fits_a_phone_screen_is_shown_whole(chat, retriever) -> None:
    answer = chat.say("Welche Projekte gibt es in Paderborn?", "region_projects")
    owl = [p for p in retriever.knowledge.projects if p.region == "owl-paderborn"]
    assert 3 < len(owl) <= PAGE_SIZE
    for project in owl:
        assert project.title in answer.text
    assert "Mehr anzeigen" not in [b["title"] for b in answer.buttons]


def test_show_more_pages_through_a_long_listing(chat, retriever) -> None:
    first = chat.say("Welche Projekte laufen 2020?", "region_projects")
    results = first.slot("last_query")["results"]
    assert len(results) > PAGE_SIZE and "Mehr anzeigen" in [b["title"] for b in first.buttons]
    more = chat.press(first, "Mehr anzeigen")
    assert f"Weitere Projekte ({PAGE_SIZE + 1}–" in more.text
    next_one = retriever.knowledge.project(results[PAGE_SIZE])
    assert f"{PAGE_SIZE + 1}. **{next_one.title}**" in more.text
    assert more.slot("offset") == min(2 * PAGE_SIZE, len(results))


def test_filter_the_shown_list_by_place(chat, retriever) -> None:
    listing = chat.say("Welche Projekte gibt es zum Thema Open Data?", "projects_by_topic")
    results = listing.slot("last_query")["results"]
    in_paderborn = [i for i in results if i.startswith("owl-paderborn")]
    assert in_paderborn and len(in_paderborn) < len(results)
    narrowed = chat.say("Welches davon ist in Paderborn?", "region_projects")
    assert narrowed.slot("last_query")["results"] == in_paderborn
    for project_id in in_paderborn:
        assert retriever.knowledge.project(project_id).title in narrowed.text


def test_nothing_found_offers_the_region_office(chat, retriever) -> None:
    answer = chat.say(
        "Gibt es in Paderborn Projekte zur Raumfahrt?",
        "projects_by_topic",
        [("topic", "Raumfahrt"), ("region", "Paderborn")],
    )
    assert "nichts gefunden" in answer.text
    office = retriever.knowledge.region("owl-paderborn").contacts[0]
    assert office.email and office.email in answer.text
    assert "shown_projects" not in {e["name"] for e in answer.events}


def test_nothing_found_without_region_offers_the_programme_contact(chat, retriever) -> None:
    answer = chat.say("Gibt es Projekte zur Raumfahrt?", "projects_by_topic")
    assert "nichts gefunden" in answer.text
    mwide = next(a for a in retriever.knowledge.actors if a.id == "mwide")
    assert any(c.email and c.email in answer.text for c in mwide.contacts)
    assert "**" not in answer.text.split("\n")[0]  # no project presented


def test_unknown_place(chat) -> None:
    answer = chat.say("Welche Projekte gibt es in Köln?", "region_projects", [("region", "Köln")])
    assert "gehört nicht zu den Digitalen Modellregionen" in answer.text
    assert len(answer.buttons) == 5


def test_person_by_name_and_by_salutation(chat, retriever) -> None:
    sommer = chat.say("wer ist Nicole Sommer", "person_info", [("person", "Nicole Sommer")])
    assert "nicole.sommer@stadt.wuppertal.de" in sommer.text
    assert sommer.slot("shown_projects")
    vom_sondern = chat.say(
        "wie erreiche ich Herrn vom Sondern", "person_info", [("person", "vom Sondern")]
    )
    assert "Manfred vom Sondern" in vom_sondern.text
    assert "manfred.vom.sondern@gelsenkirchen.de" in vom_sondern.text
    unknown = chat.say("Wer ist Max Mustermann?", "person_info", [("person", "Max Mustermann")])
    assert "nicht vor" in unknown.text


def test_english_conversation(chat, retriever) -> None:
    govchain = retriever.knowledge.project("aachen-govchain-nrw")
    answer = chat.say("Which projects are there about blockchain?", "projects_by_topic")
    assert answer.slot("language") == "en"
    assert f"**{govchain.title}**" in answer.text
    assert "Contact:" in answer.text and "in German" in answer.text
    assert answer.buttons[0]["title"] == "Contact"
    contact = chat.say("Who is the contact?", "project_contact")
    assert "Contact for **govchain nrw**" in contact.text
    source = chat.say("Where does this come from?", "ask_source")
    assert source.text.startswith("This comes from:")
    button = chat.press(source if source.buttons else contact, "Timeline")
    assert button.slot("language") == "en"  # a button payload keeps the language


def test_programme_background_and_its_source(chat) -> None:
    answer = chat.say("Was waren die Auswahlkriterien?", "programme_background")
    assert "Kriterien" in answer.text and "Quelle:" in answer.text
    source = chat.say("Woher stammt das?", "ask_source")
    assert "Bericht des MWIDE" in source.text


def test_small_talk_in_both_languages(chat) -> None:
    assert "Digitalen Modellregionen" in chat.say("Hallo", "greet").text
    assert "chatbot" in chat.say("Are you a bot?", "bot_challenge").text
    assert chat.say("Danke", "thank").text == "Gern geschehen!"


def test_out_of_scope_and_nonsense_get_a_polite_reply(chat) -> None:
    weather = chat.say("Wie wird das Wetter morgen?", "out_of_scope")
    assert "nur Fragen zu den Digitalen Modellregionen" in weather.text
    nonsense = chat.say("xkcd qwrtz blub", "nlu_fallback")
    assert "nicht verstanden" in nonsense.text


def test_html_input_gets_a_polite_reply_and_keeps_the_context(chat) -> None:
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "projects_by_topic")
    before = dict(chat.slots)
    for text in (
        "<script>alert('x')</script><b>Projekte</b> zur <i>Kita-Anmeldung</i>",
        "<img src=x onerror=alert(1)>",
        "&lt;iframe src=javascript:alert(1)&gt;",
    ):
        answer = chat.say(text, "project_details")
        assert "als einfachen Text" in answer.text
        assert "<" not in answer.text and "script" not in answer.text
        assert [e["name"] for e in answer.events] == ["language"]
    assert chat.slots == before


def test_too_long_input_keeps_the_context(chat) -> None:
    chat.say("Gibt es Projekte zur Kita-Anmeldung?", "projects_by_topic")
    before = dict(chat.slots)
    answer = chat.say("Projekte " * 200, "projects_by_topic")
    assert "zu lang" in answer.text
    assert chat.slots == before
    assert chat.say("Wie lange läuft das?", "project_period").slot("current_project") == KITA


def test_selection_without_a_list(chat) -> None:
    assert "keine Liste" in chat.say("das zweite", "select_item").text
    assert "keine Liste" in chat.say("Mehr anzeigen", "show_more").text


def test_an_error_becomes_an_apology(chat) -> None:
    class Broken:
        knowledge = None

        def __getattr__(self, name: str):
            raise RuntimeError("index exploded")

    deps.set_retriever(Broken())  # type: ignore[arg-type]
    answer = chat.say("Gibt es Projekte zur Kita-Anmeldung?", "projects_by_topic")
    assert "etwas schiefgegangen" in answer.text
    assert [e["name"] for e in answer.events] == ["language"]


def test_a_subject_within_a_region(chat, retriever) -> None:
    govbot = retriever.knowledge.project("soest-govbot")
    answer = chat.say("Is there a chatbot in Soest?", "region_projects", [("region", "Soest")])
    assert f"**{govbot.title}**" in answer.text and answer.slot("language") == "en"
    nothing = chat.say(
        "Gibt es in Gelsenkirchen etwas zu Raumfahrt?",
        "region_projects",
        [("region", "Gelsenkirchen")],
    )
    assert "Zu „raumfahrt“ habe ich in Gelsenkirchen nichts Passendes gefunden." in nothing.text


def test_programme_questions_in_everyday_words(chat) -> None:
    funding = chat.say("Wie viel Geld gibt es dafür?", "programme_background")
    assert "Finanz" in funding.text
    unknown = chat.say("Was bedeutet Raumfahrt für das Programm?", "programme_background")
    assert "nichts Genaues" in unknown.text
    topic_button = unknown.buttons[0]
    chosen = chat.say_payload(topic_button["payload"])
    assert topic_button["title"] in chosen.text


def test_a_search_that_tries_every_wording_embeds_once(chat, real_retriever, monkeypatch) -> None:
    """Question, content words, the NLU's topic and the place's fallback: one embedding."""
    embedder = real_retriever.embedder
    monkeypatch.setattr(embedder.query_cache, "size", 0)  # count real embeddings only
    embedded: list[str] = []
    real = embedder.embed_queries

    def counting(texts: list[str]):
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedder, "embed_queries", counting)
    answer = chat.say(
        "Gibt es in Paderborn eigentlich Projekte zur Raumfahrt?",
        "projects_by_topic",
        [("topic", "Raumfahrt"), ("region", "Paderborn")],
    )
    assert "nichts gefunden" in answer.text
    assert len(embedded) == 1, embedded


def test_an_invented_place_with_markup_is_echoed_as_plain_text(chat) -> None:
    """A button payload with an invented place ("…, **Wichtig:** [hier neu anmelden](…)")
    names a partner town: the reply repeats the place without bold or a live link."""
    injected = "Lippstadt **Wichtig:** [hier neu anmelden](https://example.org/login)"
    answer = chat.say_payload("/region_projects" + json.dumps({"region": injected}))
    assert "Lippstadt" in answer.text
    assert "**Wichtig" not in answer.text and "](" not in answer.text, answer.text
