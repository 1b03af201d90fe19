"""The widget against a stand-in for Rasa's REST channel: rendering, safety, errors, layout.

The demo page is served by the project's own web server (service.webserver) with its strict
Content-Security-Policy, so every test also checks that the widget works under that CSP.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions import formatting as fmt
from channels.markdown import tel_target
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

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"


def test_script_and_stylesheet_are_small_and_self_contained() -> None:
    js = (WIDGET_DIR / "chat-widget.js").read_text(encoding="utf-8")
    css = (WIDGET_DIR / "chat-widget.css").read_text(encoding="utf-8")
    assert len(js.encode()) + len(css.encode()) < 100_000
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, f"{sink} must not be used: message text is never HTML"
    # styles come from chat-widget.css (CSP style-src 'self'), never from a <style> element
    assert 'createElement("style")' not in js and ".cssText" not in js
    assert "http://" not in css and "https://" not in css and "@import" not in css


def test_demo_page_embeds_the_widget_with_one_script_tag() -> None:
    html = (WIDGET_DIR / "index.html").read_text(encoding="utf-8")
    assert html.count("<script") == 1
    assert '<script src="/chat-widget.js" defer data-server-url="%RASA_URL%"' in html
    assert 'data-lang="de"' in html and "data-title=" in html
    assert "<style" not in html and "style=" not in html  # CSP: style-src 'self'
    assert '<html lang="de">' in html


def test_opens_and_answers_with_safe_formatting(visit, widget_site: Site, fake_rasa: FakeRasa):
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    expect(widget.dialog).to_be_hidden()
    widget.open()
    expect(widget.input).to_be_focused()
    expect(widget.dialog).to_have_accessible_name("Digitale Modellregionen NRW – Assistent")

    widget.ask("formatierung")
    answer = widget.bot_messages.last
    expect(answer.locator("strong")).to_have_text("Smartphone-Bürger-ID")
    # two lines of the first paragraph are separated by a line break, not merged
    expect(answer.locator("p").first.locator("br")).to_have_count(1)
    expect(answer.locator("ul > li")).to_have_count(3)  # "- " and "• " items
    expect(answer.locator("ol > li")).to_have_count(3)

    mail = answer.get_by_role("link", name="manfred.vom.sondern@gelsenkirchen.de")
    expect(mail).to_have_attribute("href", "mailto:manfred.vom.sondern@gelsenkirchen.de")
    expect(answer.get_by_role("link", name="+49(5251)882371")).to_have_attribute(
        "href", "tel:+495251882371"
    )
    expect(answer.get_by_role("link", name="0221/22125070")).to_have_attribute(
        "href", "tel:022122125070"
    )
    web = answer.get_by_role("link", name="https://www.gelsenkirchen.de/digital")
    expect(web).to_have_attribute("href", "https://www.gelsenkirchen.de/digital")  # no "."
    expect(web).to_have_attribute("target", "_blank")
    expect(web).to_have_attribute("rel", "noopener noreferrer")
    expect(answer.get_by_role("link", name="das Portal")).to_have_attribute(
        "href", "https://opendata.gelsenkirchen.de/"
    )
    # dates and "09/2019" are not phone numbers
    expect(answer.locator("a[href^='tel:']")).to_have_count(2)
    expect(answer).to_contain_text("Laufzeit 01.01.19 – 31.12.21, Meilenstein 09/2019")

    # The request went to the REST channel with a stable sender id.
    assert fake_rasa.requests[-1]["message"] == "formatierung"
    assert len(fake_rasa.requests[-1]["sender"]) >= 16
    assert not tab.foreign_requests(widget_site), tab.foreign_requests(widget_site)
    assert not tab.csp_violations(), tab.csp_violations()
    assert not tab.problems, tab.problems


def test_real_answers_render_the_markup_links_and_hand_over(
    visit, widget_site: Site, fake_rasa: FakeRasa
):
    """The formatter's real output: bold, lists, mailto:/tel: links (the same tel: target as
    channels.markdown computes for the messengers), the hand-over as a link, _italic_."""
    project = fake_rasa.project
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    widget.ask("antwort")
    answer = widget.bot_messages.last
    expect(answer.locator("strong").first).to_have_text(project.title)
    expect(answer.locator("ul > li")).to_have_count(len(project.contacts))
    for contact in project.contacts:
        if contact.email:
            link = answer.get_by_role("link", name=contact.email, exact=True)
            expect(link).to_have_attribute("href", f"mailto:{contact.email}")
        if contact.phone:
            link = answer.get_by_role("link", name=contact.phone, exact=True)
            expect(link).to_have_attribute("href", tel_target(contact.phone))
    assert "**" not in answer.inner_text()

    first = next(c for c in project.contacts if c.email)
    handover = answer.get_by_role("link", name=f"Nachricht an {first.display_name} schreiben")
    expect(handover).to_have_attribute(
        "href", re.compile(rf"^mailto:{re.escape(first.email)}\?subject=Frage%20zum%20Projekt")
    )
    expect(handover).not_to_have_attribute("target", "_blank")
    expect(answer.locator(".cw-buttons button")).to_have_count(4)  # the follow-up questions
    sent = len(fake_rasa.requests)
    handover.evaluate("a => a.addEventListener('click', e => e.preventDefault())")
    handover.click()  # opens the mail program; nothing is sent to the bot
    expect(answer.locator(".cw-buttons button")).to_have_count(4)
    assert len(fake_rasa.requests) == sent

    widget.ask("thema")
    topic = widget.bot_messages.last
    source = fake_rasa.knowledge.topics[0].source
    expect(topic.locator("em")).to_have_text(re.compile(re.escape(source.document_title)))
    assert not topic.inner_text().rstrip().endswith("_")

    widget.ask("english")
    note = widget.bot_messages.last.locator("em").last
    expect(note).to_contain_text("The source documents are in German")
    assert not tab.problems, tab.problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP, ZOOM_400], ids=["360px", "1280px", "400pct"])
def test_timeline_of_periods(visit, widget_site: Site, fake_rasa: FakeRasa, viewport: dict):
    """A period answer's timeline (formatting.timeline, a custom payload sent after the text and
    its buttons): in the same bubble as the text it illustrates, above the buttons; each
    project's full title as wrapped text of at least 12 px, a bar per project and a mark per
    dated milestone; aria-hidden beside the same facts as text; no horizontal scrolling on a
    phone or at 400 % zoom (320 CSS px), no axe findings."""
    tab = visit(widget_site.url + "/", viewport=viewport)
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.ask("zeitleiste")
    rows = fmt.timeline(fake_rasa.dated, "de")["timeline"]["rows"]
    answer = widget.bot_messages.last
    expect(widget.bot_messages).to_have_count(1)  # text, picture and buttons: one answer
    picture = answer.locator(".cw-bubble .cw-timeline")
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute("aria-hidden", "true")
    # the picture follows the text it illustrates and comes before the answer's buttons
    order = answer.evaluate(
        """m => [...m.querySelectorAll('.cw-bubble > p, .cw-timeline, .cw-buttons')]
                 .map(e => e.className || e.tagName)"""
    )
    assert order.index("cw-timeline") > order.index("P"), order
    assert order.index("cw-timeline") < order.index("cw-buttons"), order
    titles = picture.locator(".cw-tl-title")
    expect(titles).to_have_text([r["title"] for r in rows])  # whole, never cut off
    for i in range(len(rows)):
        size = titles.nth(i).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 12, (rows[i]["title"], size)
        box = titles.nth(i).bounding_box()
        assert box["x"] + box["width"] <= page.viewport_size["width"]
    years = picture.locator(".cw-tl-axis span")
    expect(years).to_have_text(["2018", "2019", "2020", "2021", "2022"])
    assert (
        min(years.evaluate_all("s => s.map(e => parseFloat(getComputedStyle(e).fontSize))")) >= 12
    )
    expect(picture.locator("rect.cw-tl-bar")).to_have_count(len(rows))
    marks = sum(len(r["milestones"]) for r in rows)
    expect(picture.locator("path.cw-tl-mark")).to_have_count(marks)
    texts = "\n".join(widget.bot_messages.all_inner_texts())
    for project in fake_rasa.dated:
        assert project.period.printed in texts  # the same facts as text
    # bars start where the periods do: the track spans 2018 to the end of 2022, as the axis
    track = picture.locator(".cw-tl-track").first.bounding_box()
    bar = picture.locator("rect.cw-tl-bar").first.bounding_box()
    start = 2018 + (bar["x"] - track["x"]) / track["width"] * 5
    assert abs(start - rows[0]["start"]) < 0.05, (start, rows[0])
    first_year = years.first.bounding_box()
    assert (
        abs(first_year["x"] - track["x"]) < 1.5
        and abs(first_year["width"] - track["width"] / 5) < 1.5
    )
    assert no_horizontal_scroll(page)
    picture.scroll_into_view_if_needed()
    screenshot(page, f"timeline-{viewport_name(viewport)}")
    answer.evaluate("m => m.scrollIntoView()")
    screenshot(page, f"timeline-text-{viewport_name(viewport)}")
    assert not tab.csp_violations() and not tab.problems, tab.problems
    assert axe_violations(page) == []


def test_phone_numbers_and_other_numbers(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    widget.ask("nummern")
    links = widget.bot_messages.last.locator("a")
    expect(links).to_have_text(
        ["(0211) 837-1234", "0171 1234567", "+49 211 837-1234", "+49 (0) 209 169-0"]
    )
    hrefs = [links.nth(i).get_attribute("href") for i in range(4)]
    assert hrefs == ["tel:02118371234", "tel:01711234567", "tel:+492118371234", "tel:+492091690"]


def test_html_from_bot_and_user_is_shown_as_text(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    widget.open()

    attack = "<img src=x onerror=alert(1)>"
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    widget.ask(attack)
    expect(widget.user_messages.last).to_contain_text(attack)
    expect(widget.bot_messages.last).to_contain_text(f"Sie schrieben: {attack}")

    widget.ask("injektion")
    answer = widget.bot_messages.last
    expect(answer).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(answer).to_contain_text("<script>window.__xss=2</script>")
    expect(answer).to_contain_text('<a href="')
    expect(answer).to_contain_text('">böser Link</a>')
    expect(answer).to_contain_text("&amp;")  # not decoded either
    expect(answer.locator("strong")).to_have_text("<b>fett</b>")
    # javascript: and data: links are shown as their label only; the bare https URL inside
    # the quoted attribute is an ordinary link (https is allowed), the tag around it is text
    expect(answer).to_contain_text("klick mich")
    expect(answer).to_contain_text("daten")
    links = answer.locator("a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://evil.example/")
    expect(page.get_by_role("button", name="<img src=x onerror=window.__xss=4>")).to_be_visible()

    log = widget.log
    assert log.locator("img, script, b").count() == 0
    assert page.evaluate("() => window.__xss === undefined")
    assert dialogs == []
    assert not tab.foreign_requests(widget_site)


def test_quick_replies_send_the_payload_and_disappear(
    visit, widget_site: Site, fake_rasa: FakeRasa
):
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    widget.ask("knöpfe")
    expect(widget.bot_messages).to_have_count(2)  # the custom-only message is not shown
    group = widget.bot_messages.nth(1).get_by_role("group")
    expect(group).to_have_accessible_name("Antwortvorschläge")
    expect(group.get_by_role("button")).to_have_count(2)
    website = group.get_by_role("link", name="Zur Website")
    expect(website).to_have_attribute("href", "https://www.gelsenkirchen.de/")

    group.get_by_role("button", name="Ansprechpartner").click()
    widget.wait_idle()
    expect(widget.user_messages.last).to_have_text("Sie:Ansprechpartner")
    expect(widget.bot_messages.last).to_contain_text("Kontakt: Manfred vom Sondern")
    assert fake_rasa.requests[-1]["message"] == '/kontakt{"projekt":"buerger-id"}'
    expect(group.get_by_role("button")).to_have_count(0)  # its reply buttons are gone,
    expect(website).to_be_visible()  # its links (web site, hand-over e-mail) stay
    expect(widget.input).to_be_focused()  # focus did not get lost with the button
    tab.page.reload()
    Widget(tab.page).open()
    expect(group.get_by_role("button")).to_have_count(0)
    expect(website).to_be_visible()


def test_a_message_with_buttons_only_has_no_empty_bubble(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    widget.ask("nur knöpfe")
    last = widget.bot_messages.last
    expect(last.get_by_role("button", name="Ja")).to_be_visible()
    expect(last.locator(".cw-bubble")).to_have_count(0)


def test_history_survives_a_reload_and_restart_clears_it(
    visit, widget_site: Site, fake_rasa: FakeRasa
):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.ask("formatierung")
    widget.ask("knöpfe")
    sender = fake_rasa.requests[-1]["sender"]

    page.reload()
    widget = Widget(page)
    expect(widget.dialog).to_be_hidden()  # closed after a reload: no focus is taken
    widget.open()
    expect(widget.user_messages).to_have_count(2)
    expect(widget.bot_messages).to_have_count(3)
    expect(widget.bot_messages.nth(0).get_by_role("link", name="das Portal")).to_be_visible()
    expect(page.get_by_role("button", name="Laufzeit")).to_be_visible()  # unused buttons stay
    widget.ask("noch eine Frage")
    assert fake_rasa.requests[-1]["sender"] == sender  # same conversation on the server

    widget.restart_button.click()
    expect(widget.user_messages).to_have_count(0)
    expect(widget.bot_messages).to_have_count(0)
    expect(page.locator(".cw-msg-welcome")).to_have_count(1)
    expect(widget.input).to_be_focused()
    widget.ask("neu")
    assert fake_rasa.requests[-1]["sender"] != sender  # a new conversation on the server
    page.reload()
    Widget(page).open()
    expect(Widget(page).user_messages).to_have_count(1)


def test_history_is_bounded(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    key = f"chat-widget:history:{widget_site.rasa_url}/webhooks/rest/webhook"
    entries = [{"from": "user", "text": f"Frage {i}"} for i in range(150)]
    page.evaluate("([k, v]) => sessionStorage.setItem(k, v)", [key, json.dumps(entries)])
    page.reload()
    widget = Widget(page)
    widget.open()
    expect(widget.user_messages).to_have_count(100)
    expect(widget.user_messages.first).to_contain_text("Frage 50")
    widget.ask("noch eine")
    stored = json.loads(page.evaluate("k => sessionStorage.getItem(k)", key))
    assert len(stored) == 100
    assert stored[-1]["text"] == "Sie schrieben: noch eine"


def test_typing_indicator_is_announced_politely(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    expect(widget.log).to_have_attribute("aria-live", "polite")
    widget.input.fill("langsam")
    widget.input.press("Enter")
    expect(widget.status).to_have_text("Assistent schreibt …")
    expect(widget.typing).to_be_visible()
    widget.wait_idle()
    expect(widget.status).to_have_text("")
    expect(widget.bot_messages.last).to_contain_text("Endlich da.")


@pytest.mark.parametrize("message", ["fehler", "kaputt"])
def test_server_error_keeps_the_typed_text(visit, widget_site: Site, message: str):
    tab = visit(widget_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    widget.input.fill(message)
    widget.input.press("Enter")
    widget.wait_idle()
    error = tab.page.locator(".cw-msg-error")
    expect(error).to_contain_text(
        "Der Assistent ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut."
    )
    expect(widget.input).to_have_value(message)
    expect(widget.user_messages.last).to_contain_text("Nicht gesendet")


def test_unreachable_server_keeps_the_typed_text(visit, dead_site: Site):
    tab = visit(dead_site.url + "/")
    widget = Widget(tab.page)
    widget.open()
    widget.input.fill("Wer ist Ansprechpartner für die Smartphone-Bürger-ID?")
    widget.send_button.click()
    widget.wait_idle()
    expect(tab.page.locator(".cw-msg-error")).to_contain_text(
        "Der Assistent ist gerade nicht erreichbar."
    )
    expect(widget.input).to_have_value("Wer ist Ansprechpartner für die Smartphone-Bürger-ID?")
    # Nothing that failed is stored: after a reload the log holds only the welcome text.
    tab.page.reload()
    widget = Widget(tab.page)
    widget.open()
    expect(widget.user_messages).to_have_count(0)
    assert not tab.foreign_requests(dead_site)
    assert not tab.csp_violations()


def test_phone_screen_panel_fills_the_screen_without_horizontal_scroll(visit, widget_site: Site):
    tab = visit(widget_site.url + "/", viewport=PHONE, has_touch=True, is_mobile=True)
    page = tab.page
    widget = Widget(page)
    assert no_horizontal_scroll(page)
    screenshot(page, "phone-closed")
    widget.open()
    widget.ask("formatierung")
    widget.ask("lang")  # a very long word and URL must wrap
    widget.ask("knöpfe")
    box = widget.dialog.bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    assert no_horizontal_scroll(page)
    overflow = page.evaluate(
        """() => {
            const root = document.querySelector('rasa-chat-widget').shadowRoot;
            const log = root.querySelector('.cw-log');
            return [log.scrollWidth - log.clientWidth,
                    ...[...root.querySelectorAll('.cw-bubble, .cw-button')]
                        .map(e => e.getBoundingClientRect().right - window.innerWidth)
                        .filter(d => d > 0)];
        }"""
    )
    assert overflow == [0], overflow
    expect(widget.dialog).to_have_attribute("aria-modal", "true")
    screenshot(page, "phone-open")
    page.get_by_role("log").evaluate("log => log.scrollTop = 0")
    screenshot(page, "phone-open-top")


def test_400_percent_zoom_reflows_without_horizontal_scroll(visit, widget_site: Site):
    """1280 × 1024 at 400 % zoom is a 320 × 256 CSS-pixel viewport (WCAG 1.4.10 Reflow)."""
    tab = visit(widget_site.url + "/", viewport={"width": 320, "height": 256})
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.ask("formatierung")
    assert no_horizontal_scroll(page)
    for control in (widget.input, widget.send_button, widget.close_button):
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
        assert box["y"] >= 0 and box["y"] + box["height"] <= 256
    log_box = widget.log.bounding_box()
    assert log_box and log_box["height"] >= 60  # some room for reading the messages
    screenshot(page, "zoom-400")


def test_desktop_screenshots_and_image_message(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    screenshot(page, "desktop-closed")
    widget.open()
    expect(widget.dialog).to_have_attribute("aria-modal", "false")
    widget.ask("formatierung")
    widget.ask("knöpfe")
    widget.ask("bild")
    image = widget.bot_messages.last.get_by_role("img")
    expect(image).to_have_attribute("alt", "Bild vom Assistenten")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    box = widget.dialog.bounding_box()
    assert box["x"] + box["width"] <= 1280 and box["y"] >= 0
    assert no_horizontal_scroll(page)
    screenshot(page, "desktop-open")
    assert not tab.foreign_requests(widget_site)
    assert not tab.problems, tab.problems


def test_english_interface(visit, widget_site: Site, fake_rasa: FakeRasa):
    tab = visit(widget_site.url + "/en.html")
    page = tab.page
    widget = Widget(page, lang="en")
    widget.open()
    expect(widget.dialog).to_have_accessible_name("Chat assistant")
    assert page.locator("rasa-chat-widget").get_attribute("lang") == "en"
    expect(page.locator(".cw-msg-welcome")).to_contain_text("Hello!")
    widget.ask("fehler")
    expect(page.locator(".cw-msg-error")).to_contain_text(
        "The assistant is not available right now."
    )
    # the stylesheet is loaded from the script's URL, with its version query
    assert any(u.endswith("/chat-widget.css?v=2") for u in tab.requests), tab.requests
    assert not tab.csp_violations()


def test_restart_while_waiting_drops_the_old_answer(visit, widget_site: Site):
    tab = visit(widget_site.url + "/")
    page = tab.page
    widget = Widget(page)
    widget.open()
    widget.input.fill("langsam")
    widget.input.press("Enter")
    expect(widget.typing).to_be_visible()
    widget.restart_button.click()
    expect(widget.typing).to_have_count(0)
    expect(widget.user_messages).to_have_count(0)
    page.wait_for_timeout(2000)  # the stand-in answers "langsam" after 1.5 s
    expect(widget.bot_messages).to_have_count(0)
    widget.ask("danach")
    expect(widget.bot_messages).to_have_count(1)
