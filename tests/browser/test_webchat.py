"""The published Rasa web client `rasa-webchat` (npm, pinned in package.json/package-lock.json,
installed by `make npm` into node_modules/) in Chromium, against the real bot over Rasa's
socket.io channel (channels.socketio, credentials.yml, `session_persistence: true`).

The client's bundle (node_modules/rasa-webchat/lib/index.js, with socket.io-client 3.1 inside)
is served by a small local web server of this test, never from a CDN. Expected facts are read
from knowledge/ through index.loader.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from index.loader import load
from service.stack import Stack
from tests.browser.conftest import WEBCHAT_PORT
from tests.browser.widgetpage import screenshot
from tests.support import unavailable

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
WEBCHAT = ROOT / "node_modules" / "rasa-webchat"
KNOWLEDGE = load()
QUESTION = "Welche Projekte gibt es zu Open Data?"
FOLLOW_UP = "Wer ist da der Ansprechpartner?"
# rasa-webchat 1.0.1's CSS imports the Lato font from Google; the test blocks it (and anything
# else not on this machine), see docs/widget.md.
KNOWN_FOREIGN = {"fonts.googleapis.com"}
ANSWER_TIMEOUT = 45

PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>rasa-webchat gegen den Assistenten</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Stadt Musterstadt</h1></main>
<script src="/rasa-webchat/index.js"></script><script src="/init.js"></script>
</body></html>"""

INIT = """window.WebChat.default(%s, null);"""


def webchat_handler(config: dict) -> type[BaseHTTPRequestHandler]:
    files = {
        "/": ("text/html; charset=utf-8", PAGE.encode()),
        "/init.js": ("text/javascript", (INIT % json.dumps(config)).encode()),
        "/rasa-webchat/index.js": ("text/javascript", (WEBCHAT / "lib" / "index.js").read_bytes()),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = files.get(self.path.split("?", 1)[0])
            if found is None:
                self.send_error(404)
                return
            kind, body = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def webchat_url(stack: Stack) -> Iterator[str]:
    if not (WEBCHAT / "lib" / "index.js").is_file():
        unavailable(f"{WEBCHAT} is missing: run `make npm` (npm ci from package-lock.json)")
    version = json.loads((WEBCHAT / "package.json").read_text())["version"]
    assert version == "1.0.1", f"rasa-webchat {version} installed, package.json pins 1.0.1"
    config = {
        "socketUrl": f"http://localhost:{stack.ports.rasa}",
        "socketPath": "/socket.io/",
        "embedded": True,
        "title": "Digitale Modellregionen NRW",
        "inputTextFieldHint": "Ihre Frage",
        "initPayload": "/greet",
        "params": {"storage": "session"},
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", WEBCHAT_PORT), webchat_handler(config))
    httpd.daemon_threads = True
    Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://localhost:{WEBCHAT_PORT}/"
    httpd.shutdown()
    httpd.server_close()


def bot_texts(page: Page) -> str:
    return "\n".join(page.locator(".rw-response").all_inner_texts())


def ask(page: Page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".rw-client").last).to_contain_text(text)


def follow_up_answer(page: Page, before: int, title: str, email: str) -> str:
    """The bot's messages after the first `before`, once one names `email`; when the bot asks
    back which project is meant, choose `title` among its quick replies, as a citizen would."""
    responses = page.locator(".rw-response")
    expect(responses.nth(before)).to_be_attached(timeout=ANSWER_TIMEOUT * 1000)
    # rasa-webchat shows only the newest message's quick replies: these are the answer's
    choice = page.locator(".rw-replies .rw-reply", has_text=title)
    chosen = False
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        answer = "\n".join(responses.all_inner_texts()[before:])
        if email in answer:
            return answer
        if not chosen and choice.count():
            choice.first.click()
            chosen = True
        page.wait_for_timeout(300)
    pytest.fail(f"no answer naming {email} within {ANSWER_TIMEOUT} s: {answer!r}")


def test_rasa_webchat_question_follow_up_and_contact(visit, stack: Stack, webchat_url: str):
    foreign: list[str] = []
    local = {urlsplit(webchat_url).netloc, f"localhost:{stack.ports.rasa}"}

    tab = visit("about:blank")
    page = tab.page

    def only_local(route: Route) -> None:
        host = urlsplit(route.request.url).netloc
        if host in local:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(webchat_url)
    expect(page.locator(".rw-response").first).to_be_visible(timeout=60_000)

    open_data = [p for p in KNOWLEDGE.projects if "Open Data" in p.title]
    assert len(open_data) >= 2, "the knowledge has several Open Data projects"
    ask(page, QUESTION)
    for project in open_data:
        expect(page.locator(".rw-messages-container")).to_contain_text(project.title)

    target = KNOWLEDGE.project("gelsenkirchen-ivod")
    contact = target.contacts[0]
    # the listing is complete when its last message, with a quick reply per project, is shown
    expect(page.locator(".rw-replies .rw-reply", has_text=target.title)).to_be_visible()
    before = page.locator(".rw-response").count()
    ask(page, FOLLOW_UP)
    answer = follow_up_answer(page, before, target.title, contact.email)
    assert contact.name in answer, answer
    handover = page.locator(f'a[href^="mailto:{contact.email}?subject="]')
    expect(handover.last).to_have_text(f"Nachricht an {contact.display_name} schreiben")
    screenshot(page, "rasa-webchat-contact")

    blocked = "Failed to load resource: net::ERR_FAILED"  # the aborted foreign requests
    assert [p for p in tab.problems if p != blocked or not foreign] == [], tab.problems
    assert {urlsplit(u).netloc for u in foreign} <= KNOWN_FOREIGN, foreign
