"""End to end: the demo page in Chromium, the real Rasa server, action server and web server.

The system is started once per session by the `stack` fixture (service.stack.Stack with the
latest trained model in bot/models). The questions and the expected facts come from the
knowledge base (knowledge/regions/gelsenkirchen.yml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Locator, expect

from tests.browser.widgetpage import (
    DESKTOP,
    PHONE,
    Site,
    Widget,
    axe_violations,
    no_horizontal_scroll,
    screenshot,
    viewport_name,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Wer ist Ansprechpartner für die Smartphone-Bürger-ID?"
ERROR = "Der Assistent ist gerade nicht erreichbar"


def buerger_id_project() -> dict:
    """The Smartphone-Bürger-ID project as the knowledge base describes it."""
    path = ROOT / "knowledge" / "regions" / "gelsenkirchen.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(p for p in data["projects"] if p["id"] == "gelsenkirchen-smartphone-buerger-id")


def answer_text(widget: Widget, before: int) -> str:
    texts = widget.bot_messages.all_inner_texts()[before:]
    return "\n".join(texts)


def check_contact_answer(widget: Widget, before: int) -> None:
    project = buerger_id_project()
    email = project["contacts"][0]["email"]
    text = answer_text(widget, before)
    assert ERROR not in text, text
    assert "Bürger-ID" in text, text
    assert project["contacts"][0]["name"] in text, text
    mail = widget.bot_messages.get_by_role("link", name=email)
    expect(mail.last).to_have_attribute("href", f"mailto:{email}")
    # the hand-over: a link (not a reply button) to a prefilled e-mail to that person
    name = project["contacts"][0]["name"]
    handover = widget.bot_messages.get_by_role("link", name=f"Nachricht an {name} schreiben")
    target = re.compile(rf"^mailto:{re.escape(email)}\?subject=")
    expect(handover.first).to_have_attribute("href", target)


def quick_replies(widget: Widget) -> Locator:
    return widget.bot_messages.last.locator(".cw-buttons button")


def test_question_quick_reply_and_history(visit, real_site: Site):
    tab = visit(real_site.url + "/")
    page = tab.page
    widget = Widget(page)
    widget.open()

    widget.ask(QUESTION)
    check_contact_answer(widget, 0)
    screenshot(page, "e2e-desktop-answer")

    # A follow-up offered by the bot: its title becomes the user's message, the bot answers
    # with the project's period as printed in the knowledge base.
    period = widget.bot_messages.last.get_by_role("button", name="Laufzeit")
    expect(period).to_be_visible()
    title = period.inner_text()
    before = widget.bot_messages.count()
    users_before = widget.user_messages.count()
    period.click()
    widget.wait_idle()
    expect(widget.user_messages).to_have_count(users_before + 1)
    expect(widget.user_messages.last).to_contain_text(title)
    expect(widget.bot_messages).not_to_have_count(before)
    follow_up = answer_text(widget, before)
    assert ERROR not in follow_up, follow_up
    assert buerger_id_project()["period"]["printed"] in follow_up, follow_up
    expect(page.get_by_role("button", name="Laufzeit")).to_have_count(0)  # used buttons go
    screenshot(page, "e2e-desktop-follow-up")

    # The conversation is still there after a reload.
    messages = widget.bot_messages.count()
    page.reload()
    widget = Widget(page)
    widget.open()
    expect(widget.bot_messages).to_have_count(messages)
    expect(widget.user_messages.first).to_contain_text(QUESTION)
    check_contact_answer(widget, 0)

    assert not tab.foreign_requests(real_site), tab.foreign_requests(real_site)
    assert not tab.csp_violations(), tab.csp_violations()
    assert not tab.problems, tab.problems
    # (axe-core itself then tries an inline style, which the CSP blocks: checked before it)
    assert axe_violations(page) == []


def test_keyboard_only_on_a_phone(visit, real_site: Site):
    tab = visit(real_site.url + "/", viewport=PHONE, has_touch=True, is_mobile=True)
    page = tab.page
    widget = Widget(page)

    for _ in range(40):  # Tab through the page to the launcher
        if "cw-launcher" in widget.focused():
            break
        page.keyboard.press("Tab")
    assert "cw-launcher" in widget.focused()
    page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    widget.wait_idle()
    check_contact_answer(widget, 0)

    # Shift+Tab from the input reaches the answer's quick replies (the last one first).
    buttons = quick_replies(widget)
    expect(buttons.first).to_be_visible()
    last_title = buttons.last.inner_text()
    before = widget.bot_messages.count()
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if widget.focused().endswith("|" + last_title):
            break
    assert widget.focused().endswith("|" + last_title), widget.focused()
    page.keyboard.press("Enter")
    widget.wait_idle()
    expect(widget.user_messages.last).to_contain_text(last_title)
    expect(widget.bot_messages).not_to_have_count(before)
    assert ERROR not in answer_text(widget, before)
    expect(widget.input).to_be_focused()
    screenshot(page, "e2e-phone-keyboard")

    page.keyboard.press("Escape")
    expect(widget.dialog).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    assert not tab.foreign_requests(real_site), tab.foreign_requests(real_site)
    assert not tab.problems, tab.problems
    page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_real_timeline_beside_its_list_and_above_its_buttons(
    visit, real_site: Site, viewport: dict
):
    """The real bot's answer to a year in a region: the list, its timeline in the same
    bubble (titles whole, ≥ 12 px), then the buttons; the titles are the region's projects."""
    tab = visit(real_site.url + "/", viewport=viewport)
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.ask("Welche Projekte laufen 2021 in Soest?")
    answer = widget.bot_messages.last
    picture = answer.locator(".cw-bubble .cw-timeline")
    expect(picture).to_be_visible()
    order = answer.evaluate(
        """m => [...m.querySelectorAll('.cw-bubble, .cw-timeline, .cw-buttons')]
                 .map(e => e.className)"""
    )
    assert order.index("cw-timeline") < order.index("cw-buttons"), order
    soest = yaml.safe_load((ROOT / "knowledge" / "regions" / "soest.yml").read_text("utf-8"))
    known = {p["title"] for p in soest["projects"]}
    titles = picture.locator(".cw-tl-title")
    assert titles.count() >= 1
    for i in range(titles.count()):
        title = titles.nth(i)
        assert title.inner_text() in known  # whole titles, as in knowledge/
        assert title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 12
    assert no_horizontal_scroll(page)
    picture.scroll_into_view_if_needed()
    screenshot(page, f"e2e-timeline-{viewport_name(viewport)}")
    assert not tab.problems, tab.problems
