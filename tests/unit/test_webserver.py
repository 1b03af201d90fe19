"""The widget's web server: files from widget/ only, a strict CSP, the Rasa URL filled in."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from functools import partial

import pytest

from service.webserver import REQUEST_TIMEOUT, WIDGET_DIR, WidgetHandler, WidgetServer


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    WidgetHandler.rasa_url = "http://localhost:5999"
    httpd = WidgetServer(("127.0.0.1", 0), partial(WidgetHandler, directory=str(WIDGET_DIR)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def get(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""


def test_demo_page_gets_rasa_url_and_strict_csp(server: str) -> None:
    status, headers, body = get(f"{server}/")
    assert status == 200
    assert "%RASA_URL%" not in body
    assert 'data-server-url="http://localhost:5999"' in body
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "connect-src 'self' http://localhost:5999" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_widget_script_is_served_as_javascript(server: str) -> None:
    status, headers, body = get(f"{server}/chat-widget.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert "webhooks/rest/webhook" in body


def test_nothing_outside_widget_dir_is_served(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /../Makefile HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.0 404") or reply.startswith(b"HTTP/1.1 404")
    assert b"SHELL :=" not in reply


def raw(server: str, request: bytes, timeout: float = 5.0) -> bytes:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_a_nul_byte_in_the_path_is_a_400_without_traceback(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = raw(server, b"GET /%00 HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 400")
    assert "Traceback" not in capsys.readouterr().err


def test_no_version_in_the_server_header(server: str) -> None:
    _, headers, _ = get(f"{server}/")
    assert "Python" not in headers["Server"] and "/" not in headers["Server"]


def test_a_connection_that_sends_nothing_is_closed(server: str) -> None:
    """Slow clients cannot hold a connection (and a thread) for ever."""
    assert REQUEST_TIMEOUT <= 30
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT + 10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x")  # never finished
        assert connection.recv(1024) in (b"", b"HTTP/1.1 408")  # closed by the server
