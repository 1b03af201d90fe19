"""Questions answered from the structured knowledge (regions, counts, orderings, periods,
statuses, people, services, the assistant itself) and the kinds of reply, through the real
action with the real retriever. Expected values are computed from knowledge/, never written
out, so a change of the knowledge changes the expectation with it."""

from __future__ import annotations

import pytest

from actions.answers.talk import retention_days
from actions.texts import t
from index.domain import Project

pytestmark = pytest.mark.slow


def _projects(retriever, region: str | None = None) -> list[Project]:
    return [p for p in retriever.knowledge.projects if region is None or p.region == region]


# --- regions ------------------------------------------------------------------------------


def test_region_make_up(chat, retriever) -> None:
    soest = retriever.knowledge.region("soest")
    answer = chat.say(
        "Welche Kommunen gehören zur Modellregion Soest?", "region_makeup", ["partners"]
    )
    assert soest.lead_municipality in answer.text
    for partner in soest.partners:
        assert partner in answer.text
    assert soest.district_government in answer.text
    assert soest.source.location in answer.text
    # the make-up, not the region's project list
    assert not any(p.title in answer.text for p in _projects(retriever, "soest"))
    assert answer.slot("current_region") == "soest"


def test_which_district_government(chat, retriever) -> None:
    region = retriever.knowledge.region("gelsenkirchen")
    answer = chat.say(
        "Welche Bezirksregierung betreut Gelsenkirchen?", "region_makeup", ["district_government"]
    )
    assert region.district_government in answer.text


def test_a_region_s_office(chat, retriever) -> None:
    region = retriever.knowledge.region("soest")
    answer = chat.say("Gibt es in Soest ein Projektbüro?", "region_makeup", ["contact"])
    intro = t("region_contact_intro", "de", region=region.short_name, date="{date}")
    assert intro.split("{date}")[0] in answer.text  # the intro, dated by the documents
    for contact in region.contacts:
        assert contact.display_name in answer.text


def test_the_five_regions_when_none_is_named(chat, retriever) -> None:
    answer = chat.say("Welche Modellregionen gibt es?", "region_makeup")
    for region in retriever.knowledge.regions:
        assert region.name in answer.text and region.lead_municipality in answer.text


# --- periods, orderings, counts, statuses ---------------------------------------------------


def test_projects_ending_in_a_year_are_not_those_active_then(chat, retriever) -> None:
    answer = chat.say("Welche Projekte enden 2021?", "period_filter")
    ending = [
        p for p in _projects(retriever) if p.period and p.period.end and p.period.end.year == 2021
    ]
    active_only = [
        p for p in _projects(retriever) if p.period and p.period.active_in(2021) and p not in ending
    ]
    assert ending and active_only
    assert answer.slot("last_query")["results"] == [p.id for p in ending]
    assert all(p.title in answer.text for p in ending[:8])
    assert not any(f"**{p.title}**" in answer.text for p in active_only)
    assert t("relation_end_in", "de", year=2021) in answer.text


def test_projects_started_before_a_year(chat, retriever) -> None:
    answer = chat.say("Which projects started before 2019?", "period_filter")
    started = [
        p
        for p in _projects(retriever)
        if p.period and p.period.start and p.period.start.year < 2019
    ]
    assert started
    assert answer.slot("last_query")["results"] == [p.id for p in started]
    assert answer.slot("language") == "en"


def test_a_year_after_the_documents(chat, retriever) -> None:
    last = retriever.knowledge.last_planned_year
    answer = chat.say(f"Welche Projekte laufen {last + 4}?", "period_filter")
    assert answer.kind == "none"
    assert str(last) in answer.text and "Juli 2019" in answer.text


def test_which_started_first(chat, retriever) -> None:
    dated = [p for p in _projects(retriever, "gelsenkirchen") if p.period and p.period.start]
    first = min(dated, key=lambda p: p.period.start.sort_key)
    answer = chat.say("Welches Projekt in Gelsenkirchen hat zuerst begonnen?", "ordering")
    assert answer.text.splitlines()[1].startswith(f"**{first.title}**")
    assert answer.slot("current_project") == first.id


def test_which_ends_last(chat, retriever) -> None:
    dated = [p for p in _projects(retriever) if p.period and p.period.end]
    latest = max(p.period.end.sort_key for p in dated)
    leaders = [p for p in dated if p.period.end.sort_key == latest]
    answer = chat.say("Welches Projekt endet zuletzt?", "ordering")
    for project in leaders:
        assert f"**{project.title}**" in answer.text


def test_count(chat, retriever) -> None:
    own = _projects(retriever, "gelsenkirchen")
    answer = chat.say("Wie viele Projekte hat die Modellregion Gelsenkirchen?", "count")
    assert f"**{len(own)}**" in answer.text
    assert all(p.title in answer.text for p in own)


def test_how_many_model_regions(chat, retriever) -> None:
    answer = chat.say("Wie viele Modellregionen gibt es?", "count")
    assert f"**{len(retriever.knowledge.regions)}**" in answer.text
    assert str(len(retriever.knowledge.projects)) in answer.text


def test_status(chat, retriever) -> None:
    planned = [p for p in _projects(retriever) if p.status == "planned"]
    answer = chat.say("Welche Projekte sind noch in Planung?", "status_filter")
    assert planned and answer.slot("last_query")["results"] == [p.id for p in planned]
    assert t("status_planned", "de") in answer.text and "Juli 2019" in answer.text


def test_finished_projects(chat, retriever) -> None:
    as_of = retriever.knowledge.as_of
    dated = [p for p in _projects(retriever) if p.period and p.period.end]
    done = [p for p in dated if p.period.end.sort_key < (as_of.year, as_of.month)]
    answer = chat.say("Welche Projekte sind schon abgeschlossen?", "period_filter")
    if done:
        assert answer.slot("last_query")["results"] == [p.id for p in done]
    else:  # none had ended when the documents were written: say so, with the earliest end
        earliest = min(p.period.end.sort_key for p in dated)
        assert "noch keines" in answer.text and str(earliest[0]) in answer.text


def test_current_projects_say_the_date_of_the_documents(chat) -> None:
    answer = chat.say("Welche Projekte laufen aktuell?", "period_filter", ["current"])
    assert "Juli 2019" in answer.text and "heutigen Stand" in answer.text


def test_a_question_about_today_says_what_was_planned(chat, retriever) -> None:
    project = retriever.knowledge.project("gelsenkirchen-smartphone-buerger-id")
    answer = chat.say(
        "Kann ich die Smartphone-Bürger-ID heute schon nutzen?", "project", ["current"]
    )
    first = answer.text.splitlines()[0]
    assert first.startswith("Laut den Unterlagen vom Juli 2019") and project.title in first
    assert project.period is not None and project.period.end is not None
    assert str(project.period.end.year) in first


# --- the words decide the aspect, the names decide the project ----------------------------------


def test_the_facets_decide_the_aspect(chat, retriever) -> None:
    zeonline = retriever.knowledge.project("owl-paderborn-zeonline")
    answer = chat.say("Dauer ZEonline?", "project", ["period"])
    assert answer.text.startswith(f"Laufzeit von **{zeonline.title}**")


def test_two_aspects_in_one_question(chat, retriever) -> None:
    zeonline = retriever.knowledge.project("owl-paderborn-zeonline")
    answer = chat.say(
        "Wer betreut ZEonline und wie lange läuft es?", "project", ["contact", "period"]
    )
    assert all(c.email in answer.text for c in zeonline.contacts if c.email)
    assert all(m.what in answer.text for m in zeonline.milestones)
    assert answer.pictures  # the period's timeline


def test_a_cost_question_says_first_what_the_documents_do_not_say(chat, retriever) -> None:
    zeonline = retriever.knowledge.project("owl-paderborn-zeonline")
    answer = chat.say("Was kostet ZEonline?", "project", ["cost"])
    assert answer.kind == "none"
    what = t("beyond_cost", "de")
    assert answer.text.startswith(t("not_in_documents", "de", what=what, title=zeonline.title))
    assert zeonline.summary in answer.text  # and then what they do say


def test_a_phone_number_that_is_not_printed(chat, retriever) -> None:
    project = next(
        p for p in _projects(retriever) if p.contacts and not any(c.phone for c in p.contacts)
    )
    answer = chat.say(
        f"Welche Telefonnummer hat der Ansprechpartner von {project.title}?",
        "project",
        ["contact", "phone"],
    )
    assert answer.kind == "none"
    assert t("phone_none", "de", who=f"**{project.title}**") in answer.text
    assert all(c.email in answer.text for c in project.contacts if c.email)


def test_a_question_about_a_chatbot_is_a_question_about_a_project(chat, retriever) -> None:
    answer = chat.say("Gibt es ein Projekt mit einem Chatbot in Soest?", "topic")
    assert "Ich bin ein Chatbot" not in answer.text
    assert retriever.knowledge.project("soest-govbot").title in answer.text


def test_a_state_actor(chat, retriever) -> None:
    kdn = next(a for a in retriever.knowledge.actors if a.id == "kdn")
    answer = chat.say("Was macht die KDN?", "actor")
    assert f"**{kdn.name}**" in answer.text and kdn.source.location in answer.text
    assert all(c.email in answer.text for c in kdn.contacts if c.email)


# --- not sure -------------------------------------------------------------------------------


def test_unsure_offers_titles_and_no_contact(chat, real_retriever) -> None:
    """The real retriever at an operating point where every scored question is "not sure"."""
    from dataclasses import replace

    from actions import deps

    point = replace(real_retriever.decider, unsure_at=0.0, answer_at=1.01)
    deps.set_retriever(real_retriever.with_decider(point))
    try:
        answer = chat.say("Are there projects on road traffic?", "topic")
    finally:
        deps.set_retriever(None)
    assert answer.kind == "unsure"
    lines = answer.text.splitlines()
    assert lines[0] == t("unsure", "en")
    assert "@" not in answer.text
    assert (
        1 <= len(answer.titles) <= 3 and [x.split(". ", 1)[1] for x in lines[1:]] == answer.titles
    )


def test_period_answers_and_dated_lists_carry_the_timeline(chat, retriever) -> None:
    zeonline = retriever.knowledge.project("owl-paderborn-zeonline")
    answer = chat.say("Wie lange läuft ZEonline?", "project", ["period"])
    (picture,) = answer.pictures
    assert [row["title"] for row in picture["timeline"]["rows"]] == [zeonline.title]
    assert answer.messages[-1].get("custom") and answer.messages[0]["text"]  # text first
    listing = chat.say("Welche Projekte enden 2021?", "period_filter")
    rows = listing.pictures[0]["timeline"]["rows"]
    assert {row["title"] for row in rows} <= {p.title for p in retriever.knowledge.projects}
    assert all(row["title"] in listing.text for row in rows)


# --- services the documents do not describe, and the assistant itself -----------------------------


def test_a_service_is_not_described_and_a_project_is_only_related(chat, retriever) -> None:
    soest = retriever.knowledge.region("soest")
    answer = chat.say("Kann ich meinen Personalausweis in Soest online verlängern?", "service")
    assert answer.kind == "none"
    lines = answer.text.splitlines()
    assert lines[0] == t("service_none", "de")
    assert lines[1] == t("service_office_of", "de", place=soest.lead_municipality)
    related = answer.slot("shown_projects") or []
    if related:  # named as related, never as the answer
        assert t("service_related", "de") in answer.text
        assert answer.text.index(t("service_related", "de")) < min(
            answer.text.index(retriever.knowledge.project(p).title) for p in related
        )
    assert answer.slot("current_project") is None


def test_a_service_without_a_place_names_the_local_administration(chat) -> None:
    answer = chat.say("Wie melde ich meinen Hund an?", "service")
    assert answer.kind == "none"
    assert t("service_office", "de") in answer.text


def test_about_the_assistant_states_retention_and_the_documents_date(chat, monkeypatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "14")
    assert retention_days() == 14
    answer = chat.say("Was passiert mit meinen Daten?", "about_assistant")
    assert answer.kind == "talk"
    assert answer.text == t("about_assistant", "de", days=14, date="Juli 2019")
    monkeypatch.setenv("RETENTION_DAYS", "nicht gesetzt")
    english = chat.say("What happens to my data?", "about_assistant")
    assert english.text == t("about_assistant", "en", days=30, date="July 2019")
