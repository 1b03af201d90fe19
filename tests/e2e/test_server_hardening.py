"""What the servers show of themselves (issue 16): no version strings, no CORS on the action
server, socket.io's origin check, owner-only files."""

from __future__ import annotations

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


def test_socketio_checks_the_origin(stack: Stack) -> None:
    handshake = stack.rasa_url + "/socket.io/?EIO=4&transport=polling"
    status, _, _ = get(handshake, origin="https://evil.example")
    assert status == 400
    allowed = cors_origins(stack.ports)[0]
    status, headers, body = get(handshake, origin=allowed)
    assert status == 200 and body.startswith(b"0")
    assert headers.get("Access-Control-Allow-Origin") == allowed


def test_logs_and_the_tracker_store_are_owner_only(stack: Stack) -> None:
    assert stat.S_IMODE(LOG_DIR.stat().st_mode) in (0o700, 0o710)
    database = stack.tracker_url.removeprefix("sqlite:///")
    files = [s.log_path for s in stack.running] + [LOG_DIR / database.rsplit("/", 1)[-1]]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
