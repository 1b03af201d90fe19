"""Keyboard operation, focus handling and axe-core checks of the widget (stand-in Rasa server).

BITV 2.0 / WCAG 2.1 AA: everything works with the keyboard alone, focus is visible and never
lost, the dialog and the controls have names, new messages are in a polite live region, and
axe-core finds no violation of the WCAG 2.1 A/AA rules in any state of the widget.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.widgetpage import PHONE, Site, Widget, axe_violations, screenshot

pytestmark = pytest.mark.browser


def tab_to(page: Page, widget: Widget, target: str, key: str = "Tab", limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until the focused element's description contains `target`."""
    for _ in range(limit):
        if target in widget.focused():
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target!r} not reached with {key}; focus is on {widget.focused()!r}")


def test_keyboard_only_conversation(visit, widget_site: Site, fake_rasa):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)

    # The launcher is reached with Tab from the top of the page and opened with Enter.
    tab_to(page, widget, "cw-launcher")
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(widget.dialog).to_be_visible()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    expect(widget.input).to_be_focused()

    # Type and send with Enter.
    page.keyboard.type("knöpfe")
    page.keyboard.press("Enter")
    widget.wait_idle()
    expect(widget.bot_messages.last.get_by_role("button", name="Laufzeit")).to_be_visible()
    expect(widget.input).to_be_focused()
    expect(widget.input).to_have_value("")

    # Back from the input to a quick reply (they come just before the input) and press Space.
    tab_to(page, widget, "|Laufzeit", key="Shift+Tab")
    page.keyboard.press("Space")
    widget.wait_idle()
    assert fake_rasa.requests[-1]["message"] == "/laufzeit"
    expect(widget.user_messages.last).to_contain_text("Laufzeit")
    expect(widget.bot_messages.last).to_contain_text("Laufzeit: 01.01.19 – 31.12.21")
    expect(widget.input).to_be_focused()

    # Another quick reply with Enter.
    page.keyboard.type("knöpfe")
    page.keyboard.press("Enter")
    widget.wait_idle()
    tab_to(page, widget, "|Ansprechpartner", key="Shift+Tab")
    page.keyboard.press("Enter")
    widget.wait_idle()
    expect(widget.bot_messages.last).to_contain_text("Kontakt: Manfred vom Sondern")

    # The log itself can be focused and scrolled with the keyboard.
    tab_to(page, widget, "cw-log", key="Shift+Tab")
    page.keyboard.press("Home")

    # Escape closes the panel and returns focus to the launcher; Enter opens it again.
    page.keyboard.press("Escape")
    expect(widget.dialog).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()

    # Tab order inside the panel: input, send, "Neues Gespräch"; the close button closes.
    page.keyboard.press("Tab")
    assert "cw-send" in widget.focused()
    page.keyboard.press("Tab")
    assert "cw-restart" in widget.focused()
    tab_to(page, widget, "cw-close", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(widget.dialog).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    assert not tab.problems, tab.problems


def test_focus_stays_in_the_full_screen_panel_on_a_phone(visit, widget_site: Site):
    tab = visit(widget_site.url + "/", viewport=PHONE)
    page = tab.page
    widget = Widget(page)
    widget.open()
    expect(widget.dialog).to_have_attribute("aria-modal", "true")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(widget.focused().split("|")[0])
        assert "cw-" in seen[-1], f"focus left the panel: {seen}"
    assert any("cw-close" in s for s in seen) and any("cw-send" in s for s in seen)
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        assert "cw-" in widget.focused(), "focus left the panel backwards"
    page.keyboard.press("Escape")
    expect(widget.launcher).to_be_focused()


def test_focus_is_clearly_visible(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    tab_to(page, widget, "cw-launcher")
    style = widget.launcher.evaluate(
        "b => { const s = getComputedStyle(b); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style == ["solid", "3px"]
    page.keyboard.press("Enter")
    tab_to(page, widget, "cw-close", key="Shift+Tab", limit=6)  # the examples, the log, close
    close_style = widget.close_button.evaluate(
        "b => { const s = getComputedStyle(b); return [s.outlineStyle, s.outlineColor]; }"
    )
    assert close_style == ["solid", "rgb(255, 255, 255)"]  # white ring on the blue header
    screenshot(page, "desktop-focus-close")


def test_reduced_motion_stops_animations(visit, widget_site: Site):
    tab = visit(widget_site.url + "/", reduced_motion="reduce")
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.input.fill("langsam")
    widget.input.press("Enter")
    dot = page.locator(".cw-dots span").first
    expect(dot).to_be_visible()
    assert dot.evaluate("d => getComputedStyle(d).animationName") == "none"
    assert widget.dialog.evaluate("d => getComputedStyle(d).animationName") == "none"
    widget.wait_idle()


def test_landmarks_language_and_names(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    assert page.title() == "Digitale Modellregionen NRW – Stadt Musterstadt"
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Digitale Modellregionen in Nordrhein-Westfalen"
    )
    host = page.locator("rasa-chat-widget")
    assert host.get_attribute("lang") == "de"
    assert page.locator(".cw-root").get_attribute("lang") == "de"
    widget.open()
    expect(widget.dialog).to_have_attribute("aria-labelledby", widget.dialog_title_id())
    expect(widget.log).to_have_attribute("aria-live", "polite")
    expect(widget.log).to_have_accessible_name("Gesprächsverlauf")
    expect(widget.input).to_have_accessible_description(
        "Bitte geben Sie keine persönlichen Daten ein."
    )
    expect(widget.launcher).to_have_attribute("aria-controls", widget.dialog_id())


def test_axe_finds_no_violations(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    assert axe_violations(page) == [], "closed"
    widget.open()
    assert axe_violations(page) == [], "open, empty"
    widget.ask("formatierung")
    widget.ask("knöpfe")
    widget.ask("bild")
    widget.ask("fehler")  # the error notice and the "not sent" mark
    widget.input.fill("langsam")
    widget.input.press("Enter")
    expect(widget.typing).to_be_visible()
    assert axe_violations(page) == [], "open, with messages, buttons, error and typing"
    widget.wait_idle()


def test_axe_finds_no_violations_on_a_phone(visit, widget_site: Site):
    tab = visit(widget_site.url + "/", viewport=PHONE)
    page = tab.page
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    assert axe_violations(page) == [], "closed"
    widget.open()
    widget.ask("formatierung")
    widget.ask("knöpfe")
    assert axe_violations(page) == [], "open, with messages and buttons"


def test_axe_finds_no_violations_in_english(visit, widget_site: Site):
    tab = visit(widget_site.url + "/en.html")
    widget = Widget(tab.page, lang="en")
    widget.open()
    widget.ask("formatierung")
    assert axe_violations(tab.page) == []
