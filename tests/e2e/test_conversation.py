"""Real multi-turn conversations through Rasa's REST channel, in German and English.

Expected facts are read from knowledge/, so the tests check what the bot says against the
source of truth rather than against copied strings.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from index.loader import load
from tests.e2e.chat import Say, buttons_of, text_of

pytestmark = pytest.mark.e2e

KNOWLEDGE = load()


def project(project_id: str):
    return KNOWLEDGE.project(project_id)


def test_project_question_then_follow_ups(conversation: Say) -> None:
    zeonline = project("owl-paderborn-zeonline")
    answer = conversation("Was macht das Projekt ZEonline?")
    text = text_of(answer)
    assert "ZEonline" in text
    assert "Paderborn" in text
    assert buttons_of(answer), "a project answer offers the next questions as buttons"

    contact = text_of(conversation("Und wer ist da der Ansprechpartner?"))
    assert zeonline.contacts[0].email in contact
    assert zeonline.contacts[0].name.split()[-1] in contact

    period = text_of(conversation("Wie lange läuft das?"))
    assert zeonline.period is not None
    assert zeonline.period.end is not None and zeonline.period.end.printed in period


def test_english_question_gets_english_answer(conversation: Say) -> None:
    buerger_id = project("gelsenkirchen-smartphone-buerger-id")
    text = text_of(conversation("Who is the contact person for the Smartphone-Bürger-ID?"))
    assert buerger_id.contacts[0].email in text
    assert "contact" in text.lower()
    assert "ansprechpartner" not in text.lower()


def test_ambiguous_name_asks_back_with_buttons(conversation: Say) -> None:
    candidates = {
        p.id for p in KNOWLEDGE.projects if p.title.startswith("Digitale Bürgerdienstleistungen")
    }
    assert len(candidates) >= 2, "the knowledge has several projects of that name"
    answer = conversation("Erzähl mir etwas über Digitale Bürgerdienstleistungen")
    buttons = buttons_of(answer)
    titles = [project(pid).title for pid in candidates]
    assert sum(any(t in b["title"] or t in b["payload"] for b in buttons) for t in titles) >= 2
    chosen = next(b for b in buttons if "Folgeantrag" in b["title"] or "Kita" in b["title"])
    details = text_of(conversation(chosen["payload"]))
    folge = next(p for p in KNOWLEDGE.projects if p.title.endswith("Folgeantrag"))
    assert "Kita" in details
    assert folge.contacts[0].email in details


def test_nothing_fits_says_so_and_offers_a_contact(conversation: Say) -> None:
    text = text_of(conversation("Gibt es ein Projekt zur bemannten Raumfahrt?"))
    for p in KNOWLEDGE.projects:
        assert p.title not in text, f"presented {p.title!r} for an unknown topic"
    assert "@" in text, "offers a contact to ask instead"


def titles_in_order(text: str, projects: list) -> list[str]:
    """The titles of `projects` shown in `text`, in the order they first appear; a title that
    occurs only inside a longer shown title does not count there."""
    hits = sorted(
        (m.start(), -len(p.title), m.end(), p.title)
        for p in projects
        for m in re.finditer(re.escape(p.title), text)
    )
    order: list[str] = []
    covered_until = -1
    for start, _, end, title in hits:
        if start < covered_until:
            continue
        covered_until = end
        if title not in order:
            order.append(title)
    return order


def test_region_listing_and_ordinal_follow_up(conversation: Say) -> None:
    soest = [p for p in KNOWLEDGE.projects if p.region == "soest"]
    listing = text_of(conversation("Welche Projekte gibt es in der Modellregion Soest?"))
    shown = titles_in_order(listing, soest)
    assert len(shown) >= 2, listing
    second = text_of(conversation("das zweite"))
    assert titles_in_order(second, soest)[:1] == [shown[1]], (shown, second)


def test_source_on_request(conversation: Say) -> None:
    ivod = project("gelsenkirchen-ivod")
    assert ivod.title in text_of(conversation("Was ist IVOD?"))
    text = text_of(conversation("Woher stammt das?"))
    assert ivod.source.document_title in text, text
    assert ivod.source.location in text, text


@pytest.mark.parametrize(
    "message",
    [
        "<script>alert('x')</script><b>Hallo</b>",
        "bla " * 600,
        "?!?!?!",
        "",
    ],
    ids=["html", "very-long", "punctuation", "empty"],
)
def test_bad_input_gets_a_polite_reply(conversation: Say, message: str) -> None:
    answer = conversation(message)
    text = text_of(answer)
    assert answer, "the bot always answers"
    assert "Traceback" not in text and "Exception" not in text
    assert "<script>" not in text
    follow = text_of(conversation("Was ist ZEonline?"))
    assert "ZEonline" in follow, "the conversation still works afterwards"


def test_a_follow_up_s_hand_over_mail_quotes_the_question_that_led_there(
    conversation: Say,
) -> None:
    """Through REST: the contact asked in a follow-up offers a mail to that contact whose body
    quotes the citizen's first question (the follow-up alone would mean nothing to them)."""
    zeonline = project("owl-paderborn-zeonline")
    conversation("Was macht das Projekt ZEonline?")
    answer = conversation("Und wer ist da der Ansprechpartner?")
    mails = [b["url"] for b in buttons_of(answer) if str(b.get("url", "")).startswith("mailto:")]
    assert mails, "the contact answer offers a prefilled mail"
    parts = urlsplit(mails[0])
    fields = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == zeonline.contacts[0].email
    assert "Was macht das Projekt ZEonline?" in fields["body"]
    assert "Und wer ist da der Ansprechpartner?" not in fields["body"]
    assert zeonline.title in fields["subject"]
