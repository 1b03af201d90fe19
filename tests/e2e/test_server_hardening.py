"""What the servers show of themselves (issue 16): no version strings, no CORS on the action
server, socket.io's origin check, owner-only files."""

from __future__ import annotations

import json
import stat
import urllib.error
import urllib.request

import pytest

from service.stack import LOG_DIR, Stack, cors_origins

pytestmark = pytest.mark.e2e


def get(url: str, origin: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Origin": origin} if origin else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_rasa_server_names_no_version(stack: Stack) -> None:
    status, headers, body = get(stack.rasa_url + "/")
    assert status == 200 and b"3." not in body, body
    assert not any("3.6" in value for value in headers.values())


def test_the_action_server_allows_no_web_origin(stack: Stack) -> None:
    status, headers, _ = get(stack.actions_url + "/health", origin="https://evil.example")
    assert status == 200
    assert not any(key.lower().startswith("access-control-") for key in headers), headers


def connect_with_origin(stack: Stack, origin: str) -> tuple[list[str], str]:
    """Engine.IO handshake and socket.io CONNECT from a browser page of `origin`: the
    handshake's Access-Control-Allow-Origin headers and the answer to the CONNECT packet."""
    base = stack.rasa_url + "/socket.io/?EIO=4&transport=polling"

    def request(url: str, data: bytes | None = None) -> tuple[list[str], str]:
        headers = {"Origin": origin, "Content-Type": "text/plain;charset=UTF-8"}
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=10) as r:
            return r.headers.get_all("Access-Control-Allow-Origin") or [], r.read().decode()

    allow, body = request(base)
    sid = json.loads(body[1:])["sid"]
    request(f"{base}&sid={sid}", b"40")
    return allow, request(f"{base}&sid={sid}")[1]


def test_socketio_refuses_another_origin(stack: Stack) -> None:
    allowed = cors_origins(stack.ports)[0]
    allow, answer = connect_with_origin(stack, allowed)
    assert answer.startswith("40{")  # connected
    assert allow == [allowed]  # exactly one header: browsers refuse two
    allow, answer = connect_with_origin(stack, "https://evil.example")
    assert answer.startswith("44")  # CONNECT_ERROR
    assert allow == []


def test_logs_and_the_tracker_store_are_owner_only(stack: Stack) -> None:
    assert stat.S_IMODE(LOG_DIR.stat().st_mode) in (0o700, 0o710)
    database = stack.tracker_url.removeprefix("sqlite:///")
    files = [s.log_path for s in stack.running] + [LOG_DIR / database.rsplit("/", 1)[-1]]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
