"""What a web editor and a citizen see of the widget beyond single answers: the welcome with its
example questions, buttons under earlier answers, the page's own entry points (JS API and
data-chat-open) and its own look (CSS custom properties) — against the stand-in for Rasa."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actions import formatting as fmt
from tests.browser.fakerasa import FakeRasa
from tests.browser.widgetpage import (
    DESKTOP,
    PHONE,
    ZOOM_400,
    Site,
    Widget,
    axe_violations,
    no_horizontal_scroll,
    screenshot,
    viewport_name,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP, ZOOM_400], ids=["360px", "1280px", "400pct"])
def test_welcome_says_what_it_covers_with_three_example_questions(
    visit, widget_site: Site, fake_rasa: FakeRasa, viewport: dict
):
    tab = visit(widget_site.url + "/", viewport=viewport)
    page = tab.page
    widget = Widget(page)
    widget.open()
    welcome = page.locator(".cw-msg-welcome")
    expect(welcome).to_contain_text("Digitalen Modellregionen NRW")
    for covered in ("Projekte", "Region", "Ansprechperson", "Unterlagen"):
        expect(welcome).to_contain_text(covered)
    examples = welcome.get_by_role("group", name="Beispielfragen").get_by_role("button")
    expect(examples).to_have_count(3)
    assert no_horizontal_scroll(page)
    screenshot(page, f"welcome-{viewport_name(viewport)}")
    assert not tab.problems, tab.problems  # before axe, which tries an inline style
    assert axe_violations(page) == []

    question = examples.nth(1).inner_text()
    examples.nth(1).click()
    widget.wait_idle()
    assert fake_rasa.requests[-1]["message"] == question  # sent as if typed
    expect(widget.user_messages.last).to_have_text(f"Sie:{question}")


def test_buttons_of_earlier_answers_send_their_own_payload(
    visit, widget_site: Site, fake_rasa: FakeRasa
):
    """Buttons under an earlier answer stay usable, are marked as earlier (look and name),
    and a click sends exactly that button's payload – never one of the latest answer."""
    tab = visit(widget_site.url + "/", viewport=PHONE)
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.ask("antwort")  # the contact answer of a real project, with its follow-up buttons
    first = widget.bot_messages.first.get_by_role("group")
    expect(first).to_have_accessible_name("Antwortvorschläge")
    expect(first).not_to_have_class("cw-buttons cw-earlier")
    widget.ask("knöpfe")
    expect(first).to_have_accessible_name("Antwortvorschläge zu einer früheren Antwort")
    expect(first).to_have_class("cw-buttons cw-earlier")
    latest = widget.bot_messages.nth(2).get_by_role("group")  # "knöpfe": two messages
    expect(latest).to_have_accessible_name("Antwortvorschläge")
    style = first.get_by_role("button").first.evaluate(
        "b => getComputedStyle(b).borderStyle + ' ' + getComputedStyle(b).cursor"
    )
    assert style == "dashed pointer", style
    first.scroll_into_view_if_needed()
    screenshot(page, "earlier-buttons-360")
    assert not tab.problems, tab.problems

    earlier = fmt.follow_up_buttons(fake_rasa.project, "de")
    wanted = next(b for b in earlier if b["title"].startswith("Laufzeit & Meilensteine"))
    button = first.get_by_role("button", name=wanted["title"])
    expect(button).to_be_enabled()
    button.click()
    widget.wait_idle()
    assert fake_rasa.requests[-1]["message"] == wanted["payload"]
    expect(widget.user_messages.last).to_have_text(f"Sie:{wanted['title']}")
    # the latest answer's buttons are earlier ones now, and still there
    expect(latest).to_have_class("cw-buttons cw-earlier")
    expect(latest.get_by_role("button")).to_have_count(2)
    assert not tab.problems, tab.problems
    assert axe_violations(page) == []


def test_a_page_opens_the_chat_from_its_own_links_and_script(
    visit, widget_site: Site, fake_rasa: FakeRasa
):
    tab = visit(widget_site.url + "/editor.html")
    page = tab.page
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    assert page.evaluate("() => window.chatWidget.version") == "1.1.0"

    page.locator("#ask-chat").click()  # <a href="#chat" data-chat-open>: opens, asks nothing
    expect(widget.dialog).to_be_visible()
    expect(widget.input).to_be_focused()
    assert page.evaluate("() => location.hash") == ""  # the link's default action is prevented
    sent = len(fake_rasa.requests)
    page.evaluate("() => window.chatWidget.close()")
    expect(widget.dialog).to_be_hidden()
    assert len(fake_rasa.requests) == sent

    page.locator("#ask-kita").click()  # data-chat-open="Frage": opens and asks it
    widget.wait_idle()
    expect(widget.user_messages.last).to_have_text("Sie:Gibt es Projekte zur Kita-Anmeldung?")
    assert fake_rasa.requests[-1]["message"] == "Gibt es Projekte zur Kita-Anmeldung?"

    page.evaluate("() => window.chatWidget.close()")
    page.evaluate("() => window.chatWidget.open('Wer ist Ansprechpartner?')")
    expect(widget.dialog).to_be_visible()
    widget.wait_idle()
    assert fake_rasa.requests[-1]["message"] == "Wer ist Ansprechpartner?"
    assert page.evaluate("() => window.chatWidget.isOpen()") is True
    assert not tab.csp_violations() and not tab.problems, tab.problems


def test_topic_welcome_and_the_pages_colours_position_and_font(
    visit, widget_site: Site, fake_rasa: FakeRasa
):
    tab = visit(widget_site.url + "/editor.html")
    page = tab.page
    widget = Widget(page)
    launcher = widget.launcher.bounding_box()
    assert launcher["x"] == 24  # --cw-left: 24px; --cw-right: auto
    assert launcher["y"] + launcher["height"] == DESKTOP["height"] - 24  # --cw-bottom
    look = widget.launcher.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).fontFamily]"
    )
    assert look == ["rgb(122, 31, 92)", "Georgia, serif"]
    widget.open()
    panel = widget.dialog.bounding_box()
    assert panel["x"] == 24
    welcome = page.locator(".cw-msg-welcome")
    expect(welcome).to_have_text(
        "Assistent:Hier beantworte ich Fragen zu digitalen Kita-Projekten."
        "Gibt es Projekte zur Kita-Anmeldung?Wer ist Ansprechpartner?"
    )
    expect(welcome.locator("strong")).to_have_text("Kita")
    expect(welcome.get_by_role("button")).to_have_count(2)  # the empty third is left out
    send = widget.send_button.evaluate("b => getComputedStyle(b).backgroundColor")
    assert send == "rgb(122, 31, 92)"
    screenshot(page, "editor-page-1280")
    assert not tab.csp_violations() and not tab.problems, tab.problems
    assert axe_violations(page) == []
