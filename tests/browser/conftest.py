"""Browser tests of the chat widget (widget/): Debian's Chromium driven by Playwright.

Run in the second environment:  .venv-channels/bin/python -m pytest tests/browser

Two kinds of servers:
- `fake_rasa` + `widget_site`: a tiny stand-in for Rasa's REST channel that returns canned
  answers (formatting, HTML injection attempts, buttons, errors), and the project's own web
  server (service.webserver.WidgetHandler, with its strict CSP) pointing at it. Used only for
  the rendering, keyboard and accessibility checks of the widget itself.
- `stack`: the real system (action server, Rasa server, web server) from service.stack, for
  the end-to-end tests.
"""

from __future__ import annotations

import mimetypes
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service.stack import Stack, cors_origins  # noqa: E402
from service.webserver import WIDGET_DIR, WidgetHandler  # noqa: E402
from tests.support import (  # noqa: E402
    port_offset,
    ports_for,
    require_chromium,
    require_index,
    require_model,
    require_module,
)

playwright_sync = require_module("playwright.sync_api", "run the browser tests in .venv-channels")
from playwright.sync_api import Browser, ConsoleMessage, Request  # noqa: E402

from tests.browser.fakerasa import FakeRasa, fake_rasa_handler  # noqa: E402
from tests.browser.widgetpage import DESKTOP, Site, Visit  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(handler: Any) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    httpd, fake.url = serve(fake_rasa_handler(fake))
    yield fake
    httpd.shutdown()
    httpd.server_close()


# --- the project's web server (strict CSP) in front of the fake or of nothing ----------------

ENGLISH_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test page (English)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>City of Sampletown</h1><p>Some text.</p></main>
<script src="/chat-widget.js?v=2" defer data-server-url="%RASA_URL%" data-lang="en"></script>
</body></html>"""


# An embedding page of a web editor: its own welcome and examples, its own colours, position
# and font (CSS custom properties, from its own stylesheet: the CSP has style-src 'self'), and
# its own links that open the chat without any script of the page.
EDITOR_PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Kita-Portal</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/editor.css"></head>
<body><main><h1>Kita-Anmeldung digital</h1>
<p><a href="#chat" id="ask-chat" data-chat-open>Fragen Sie unseren Assistenten</a></p>
<p><button type="button" id="ask-kita" data-chat-open="Gibt es Projekte zur Kita-Anmeldung?">
Projekte zur Kita-Anmeldung</button></p></main>
<script src="/chat-widget.js" defer data-server-url="%RASA_URL%"
  data-welcome="Hier beantworte ich Fragen zu digitalen **Kita**-Projekten."
  data-examples="Gibt es Projekte zur Kita-Anmeldung? | Wer ist Ansprechpartner? |"></script>
</body></html>"""

EDITOR_CSS = """rasa-chat-widget {
  --cw-accent: #7a1f5c; --cw-accent-hover: #5c1745; --cw-font: Georgia, serif;
  --cw-right: auto; --cw-left: 24px; --cw-bottom: 24px;
}"""

EXTRA_FILES = {
    "/en.html": ("text/html; charset=utf-8", ENGLISH_PAGE),
    "/editor.html": ("text/html; charset=utf-8", EDITOR_PAGE),
    "/editor.css": ("text/css; charset=utf-8", EDITOR_CSS),
}


def widget_handler(rasa_url: str) -> Any:
    """service.webserver's handler (files from widget/, its CSP) with a given Rasa URL; also
    answers the test pages of EXTRA_FILES without adding files to widget/."""

    class Handler(WidgetHandler):
        def do_GET(self) -> None:
            if self.path in EXTRA_FILES:
                kind, text = EXTRA_FILES[self.path]
                body = text.replace("%RASA_URL%", self.rasa_url).encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    Handler.rasa_url = rasa_url
    mimetypes.add_type("text/javascript", ".js")
    return partial(Handler, directory=str(WIDGET_DIR))


@pytest.fixture(scope="session")
def widget_site(fake_rasa: FakeRasa) -> Iterator[Site]:
    httpd, url = serve(widget_handler(fake_rasa.url))
    fake_rasa.site_url = url
    yield Site(url, fake_rasa.url)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def dead_site() -> Iterator[Site]:
    """The demo page with a Rasa URL where nothing listens (server unreachable)."""
    rasa_url = f"http://127.0.0.1:{free_port()}"
    httpd, url = serve(widget_handler(rasa_url))
    yield Site(url, rasa_url)
    httpd.shutdown()
    httpd.server_close()


# --- the real system ----------------------------------------------------------------------

E2E_PORTS = ports_for(5105, 5155, 8180)
WEBCHAT_PORT = 6090 + port_offset()  # the rasa-webchat page of test_webchat.py


def e2e_cors_origins() -> list[str]:
    """The stack's default origins (its web server) plus the rasa-webchat test page."""
    webchat = [f"http://localhost:{WEBCHAT_PORT}", f"http://127.0.0.1:{WEBCHAT_PORT}"]
    return [*cors_origins(E2E_PORTS), *webchat]


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """Action server, Rasa server (latest trained model) and the widget's web server."""
    require_model()  # `make test` trains and builds first: in CI missing ones fail
    require_index()
    running = Stack(ports=E2E_PORTS)
    with patch.dict(os.environ, {"CORS_ORIGINS": " ".join(e2e_cors_origins())}):
        running.__enter__()  # Rasa's --cors is read from CORS_ORIGINS at the start
    try:
        yield running
    finally:
        running.__exit__()


@pytest.fixture(scope="session")
def real_site(stack: Stack) -> Site:
    # The web server fills in http://localhost:<rasa port>; Rasa allows the page's origin
    # http://localhost:<web port> (service.stack.cors_origins).
    return Site(stack.web_url, f"http://localhost:{stack.ports.rasa}")


# --- browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = require_chromium()
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[..., Visit]]:
    """`visit(url, viewport=PHONE)`: a fresh browser context (empty storage) with the page."""
    contexts = []

    def open_page(url: str, viewport: dict | None = None, **options: Any) -> Visit:
        context = browser.new_context(
            viewport=viewport or DESKTOP, locale="de-DE", service_workers="block", **options
        )
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)

        def on_request(request: Request) -> None:
            seen.requests.append(request.url)

        def on_console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                seen.problems.append(message.text)

        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda error: seen.problems.append(f"page error: {error}"))
        page.goto(url)
        return seen

    yield open_page
    for context in contexts:
        context.close()
