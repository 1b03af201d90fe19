"""Questions answered from the structured knowledge and the three kinds of answer, through the
real actions with the real retriever. Expected values are computed from knowledge/, never
written out, so a change of the knowledge changes the expectation with it."""

from __future__ import annotations

import pytest

from index.domain import Project

pytestmark = pytest.mark.slow


def _projects(retriever, region: str | None = None) -> list[Project]:
    return [p for p in retriever.knowledge.projects if region is None or p.region == region]


def test_region_make_up(chat, retriever) -> None:
    soest = retriever.knowledge.region("soest")
    answer = chat.say("Welche Kommunen gehören zur Modellregion Soest?", "region_projects")
    assert soest.lead_municipality in answer.text
    for partner in soest.partners:
        assert partner in answer.text
    assert soest.district_government in answer.text
    # the make-up, not the region's project list
    assert not any(p.title in answer.text for p in _projects(retriever, "soest"))


def test_which_district_government(chat, retriever) -> None:
    region = retriever.knowledge.region("gelsenkirchen")
    answer = chat.say("Welche Bezirksregierung betreut Gelsenkirchen?", "region_projects")
    assert region.district_government in answer.text


def test_projects_ending_in_a_year_are_not_those_active_then(chat, retriever) -> None:
    answer = chat.say("Welche Projekte enden 2021?", "region_projects")
    ending = [
        p for p in _projects(retriever) if p.period and p.period.end and p.period.end.year == 2021
    ]
    active_only = [
        p for p in _projects(retriever) if p.period and p.period.active_in(2021) and p not in ending
    ]
    assert ending and active_only
    assert all(p.title in answer.text for p in ending[:8])
    assert not any(f"**{p.title}**" in answer.text for p in active_only)
    assert "Juli 2019" in answer.text or "laut Unterlagen" in answer.text


def test_which_started_first(chat, retriever) -> None:
    dated = [p for p in _projects(retriever, "gelsenkirchen") if p.period and p.period.start]
    first = min(dated, key=lambda p: p.period.start.sort_key)
    answer = chat.say("Welches Projekt in Gelsenkirchen hat zuerst begonnen?", "project_period")
    assert answer.text.splitlines()[1].startswith(f"**{first.title}**")


def test_count(chat, retriever) -> None:
    own = _projects(retriever, "gelsenkirchen")
    answer = chat.say("Wie viele Projekte hat die Modellregion Gelsenkirchen?", "region_projects")
    assert f"**{len(own)}**" in answer.text
    assert all(p.title in answer.text for p in own)


def test_how_many_model_regions(chat, retriever) -> None:
    answer = chat.say("Wie viele Modellregionen gibt es?", "programme_background")
    assert f"**{len(retriever.knowledge.regions)}**" in answer.text


def test_current_projects_say_the_date_of_the_documents(chat, retriever) -> None:
    answer = chat.say("Welche Projekte laufen aktuell?", "region_projects")
    assert "Juli 2019" in answer.text and "heutigen Stand" in answer.text


def test_a_project_nobody_has_is_said_to_be_unknown(chat, retriever) -> None:
    chat.say("Welche Projekte gibt es zu Open Data?", "projects_by_topic")  # a context exists
    answer = chat.say(
        "Wer ist der Ansprechpartner für das Projekt Bürgerbus Minden?", "project_contact"
    )
    assert "„Bürgerbus Minden“ kommt in den Unterlagen" in answer.text
    assert "@" not in answer.text


def test_the_words_decide_the_aspect_over_the_intent(chat, retriever) -> None:
    zeonline = retriever.knowledge.project("owl-paderborn-zeonline")
    answer = chat.say("Dauer ZEonline?", "project_contact", [("project", "ZEonline")])
    assert answer.text.startswith(f"Laufzeit von **{zeonline.title}**")


def test_a_question_about_a_chatbot_is_no_bot_challenge(chat, retriever) -> None:
    answer = chat.say("Gibt es ein Projekt mit einem Chatbot in Soest?", "bot_challenge")
    assert "Ich bin ein Chatbot" not in answer.text
    assert retriever.knowledge.project("soest-govbot").title in answer.text


def test_a_region_office_is_no_person(chat, retriever) -> None:
    office = retriever.knowledge.region("bergisches-staedtedreieck").contacts[0]
    answer = chat.say("Wie erreiche ich das Projektbüro in Wuppertal?", "person_info")
    assert office.email and office.email in answer.text


def test_a_person_s_projects_have_one_line_each(chat, retriever) -> None:
    project = retriever.knowledge.project("owl-paderborn-zeonline")
    person = project.contacts[0]
    answer = chat.say(f"Wofür ist {person.name} zuständig?", "person_info")
    assert f"**{project.title}**" in answer.text
    line = next(x for x in answer.text.splitlines() if project.title in x)
    assert " – " in line  # title, place and what it is


def test_unsure_offers_titles_and_no_contact(chat, real_retriever) -> None:
    """The real retriever at an operating point where every scored question is "not sure"."""
    from dataclasses import replace

    from actions import deps

    point = replace(real_retriever.decider, unsure_at=0.0, answer_at=1.01)
    deps.set_retriever(real_retriever.with_decider(point))
    try:
        answer = chat.say("Are there projects on road traffic?", "projects_by_topic")
    finally:
        deps.set_retriever(None)
    lines = answer.text.splitlines()
    assert lines[0].startswith("I'm not sure the documents answer that")
    assert "@" not in answer.text
    titles = [b["title"] for b in answer.buttons]
    assert 1 <= len(titles) <= 3 and [x.split(". ", 1)[1] for x in lines[1:]] == titles


def test_period_answers_and_dated_lists_carry_the_timeline(chat, retriever) -> None:
    zeonline = retriever.knowledge.project("owl-paderborn-zeonline")
    answer = chat.say("Wie lange läuft ZEonline?", "project_period", [("project", "ZEonline")])
    pictures = [m["custom"]["timeline"] for m in answer.messages if m.get("custom")]
    assert [row["title"] for row in pictures[0]["rows"]] == [zeonline.title]
    assert answer.messages[-1].get("custom") and answer.messages[0]["text"]  # text first
    listing = chat.say("Welche Projekte enden 2021?", "region_projects")
    rows = next(m["custom"]["timeline"]["rows"] for m in listing.messages if m.get("custom"))
    assert {row["title"] for row in rows} <= {p.title for p in retriever.knowledge.projects}
    assert all(row["title"] in listing.text for row in rows)
