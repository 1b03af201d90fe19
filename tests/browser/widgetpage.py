"""The chat widget as a user sees it: locators, actions and checks shared by the browser tests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

# Test artefacts (kept after the run, not in git): WIDGET_SCREENSHOTS=… for another folder.
SCREENSHOTS = Path(
    os.environ.get(
        "WIDGET_SCREENSHOTS",
        Path(__file__).resolve().parents[1] / "_artifacts" / "screenshots",
    )
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
ZOOM_400 = {"width": 320, "height": 256}  # 1280 × 1024 at 400 % zoom (WCAG 1.4.10 Reflow)


def viewport_name(viewport: dict) -> str:
    return {1280: "1280", 360: "360", 320: "zoom400"}.get(viewport["width"], str(viewport["width"]))


expect.set_options(timeout=10_000)


@dataclass
class Site:
    url: str  # the demo page's origin
    rasa_url: str

    @property
    def hosts(self) -> set[str]:
        return {urlsplit(self.url).netloc, urlsplit(self.rasa_url).netloc}


@dataclass
class Visit:
    """One browser tab and what it did: every request and every console problem."""

    page: Page
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def foreign_requests(self, site: Site) -> list[str]:
        return [u for u in self.requests if urlsplit(u).netloc not in site.hosts]

    def csp_violations(self) -> list[str]:
        return [p for p in self.problems if "Content Security Policy" in p]


class Widget:
    """Locators and actions on the chat widget (Playwright's locators pierce its shadow root)."""

    def __init__(self, page: Page, lang: str = "de") -> None:
        self.page = page
        en = lang == "en"
        self.launcher = page.get_by_role(
            "button", name="Chat assistant" if en else "Chat-Assistent"
        )
        self.dialog = page.get_by_role("dialog")
        self.input = page.get_by_role("textbox", name="Your message" if en else "Ihre Nachricht")
        self.send_button = page.get_by_role("button", name="Send" if en else "Senden", exact=True)
        self.close_button = page.get_by_role(
            "button", name="Close chat" if en else "Chat schließen"
        )
        self.restart_button = page.get_by_role(
            "button", name="New conversation" if en else "Neues Gespräch"
        )
        self.log = page.get_by_role("log")
        self.status = page.get_by_role("status")
        self.bot_messages = page.locator(".cw-msg-bot:not(.cw-msg-welcome)")
        self.user_messages = page.locator(".cw-msg-user")
        self.typing = page.locator(".cw-typing.is-active")

    def open(self) -> None:
        self.launcher.click()
        expect(self.dialog).to_be_visible()

    def wait_idle(self) -> None:
        expect(self.typing).to_have_count(0, timeout=30_000)

    def ask(self, text: str) -> None:
        """Type a question, send it with Enter and wait for the answer."""
        before = self.bot_messages.count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_idle()
        expect(self.bot_messages).not_to_have_count(before)

    def dialog_id(self) -> str:
        return self.page.locator(".cw-panel").get_attribute("id") or ""

    def dialog_title_id(self) -> str:
        return self.page.locator(".cw-title").get_attribute("id") or ""

    def last_bot_text(self) -> str:
        return self.bot_messages.last.inner_text()

    def focused(self) -> str:
        """Description of the focused element, looking into shadow roots."""
        return self.page.evaluate(
            """() => {
                let a = document.activeElement;
                while (a && a.shadowRoot && a.shadowRoot.activeElement) {
                    a = a.shadowRoot.activeElement;
                }
                if (!a) return "";
                const name = a.getAttribute("aria-label") || a.textContent.trim();
                return `${a.tagName.toLowerCase()}.${a.className}|${name}`;
            }"""
        )


def finish_animations(page: Page) -> None:
    """Wait until the widget's finite animations (the panel's fade-in) are over."""
    page.wait_for_function(
        """() => {
            const host = document.querySelector("rasa-chat-widget");
            return !host || host.shadowRoot.getAnimations().every(
                a => a.playState !== "running" || a.effect.getComputedTiming().endTime === Infinity
            );
        }"""
    )


def axe_violations(page: Page) -> list[str]:
    """Axe-core (bundled with axe-playwright-python) with the WCAG 2.1 A/AA rules.

    Check a Visit's CSP violations and console problems before: axe-core itself tries to add an
    inline style, which the page's CSP (style-src 'self') blocks and reports."""
    finish_animations(page)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(f"{node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"])
        for v in results.response["violations"]
    ]


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    finish_animations(page)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
