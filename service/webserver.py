"""Serve the chat widget and its demo page (`widget/`) on a local port.

A municipal site serves `widget/chat-widget.js` and `widget/chat-widget.css` itself; this
server exists for the demo page of `make run` and for the browser tests. It serves files only
from `widget/`, sends a strict Content-Security-Policy (the page may talk to the Rasa server
and nothing else) and fills the placeholder `%RASA_URL%` in HTML pages with the Rasa URL.
"""

from __future__ import annotations

import argparse
import mimetypes
import os
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
REQUEST_TIMEOUT = 10.0  # seconds


class WidgetHandler(SimpleHTTPRequestHandler):
    rasa_url = "http://localhost:5005"
    server_version = "widget-demo"  # no Python version in the Server header
    sys_version = ""
    timeout = REQUEST_TIMEOUT  # a connection that sends nothing for this long is closed

    def end_headers(self) -> None:
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"connect-src 'self' {self.rasa_url}; "
            "img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self) -> None:
        translated = self.translate_path(self.path)
        if "\x00" in translated:  # open() would raise (a traceback per request)
            self.send_error(HTTPStatus.BAD_REQUEST, "bad path")
            return
        path = Path(translated)
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_text(encoding="utf-8").replace("%RASA_URL%", self.rasa_url).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # quieter log: one line a request
        print(f"{self.address_string()} {format % args}", flush=True)


class WidgetServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """One line instead of a traceback (a client that went away, a bad request)."""
        error = sys.exc_info()[1]
        print(f"{client_address[0]} request failed: {type(error).__name__}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service.webserver", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--bind", default=os.environ.get("WEB_INTERFACE", "127.0.0.1"))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    args = parser.parse_args(argv)
    mimetypes.add_type("text/javascript", ".js")
    handler = partial(WidgetHandler, directory=str(WIDGET_DIR))
    WidgetHandler.rasa_url = args.rasa_url
    server = WidgetServer((args.bind, args.port), handler)
    print(f"Serving {WIDGET_DIR} on http://{args.bind}:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
