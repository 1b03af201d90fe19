"""Abuse of the real servers (issue 16): what a red-team run on loopback broke, refused now.

- one socket.io message of 900,000 characters (it held DIET for ten minutes and took the
  Rasa server to 7 GB): refused before it is read; a 5,000-character one gets "please ask a
  shorter question" and is not stored;
- malformed socket.io events and session ids: a short polite answer or a fresh session id,
  never a traceback in the log;
- metadata nested 500 and 2,000 levels deep: HTTP 400 without a traceback; 60 kB of flat
  metadata is not stored;
- a sender id used by a second client: another channel's id reaches another conversation
  (namespaces), a guessable one is refused, so the hand-over's quote of a question reaches
  only the client that asked it;
- a "/" message with a name in it: the name does not reach the log;
- an invented place entity with Markdown: echoed as plain text.

After each the server answers a normal question within a few seconds. Bounded: a few dozen
requests, each with its own timeout.
"""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.bounds import MAX_MESSAGE_CHARS, namespaced
from index.loader import load
from service.stack import Stack, new_sender, send
from tests.e2e.chat import buttons_of, text_of
from tests.e2e.sockets import Polling

pytestmark = pytest.mark.e2e

ZEONLINE = load().project("owl-paderborn-zeonline")
NORMAL = "Wer ist der Ansprechpartner für ZEonline?"
LIVELY = 15.0  # seconds a normal question may take right after the abuse (normally < 1 s)
TOO_LONG = ("zu lang", "too long")
TRACEBACK = re.compile(r"Traceback|File \"")


def still_answers(stack: Stack) -> None:
    """A normal question in a fresh conversation is answered right (within LIVELY s)."""
    answer = text_of(send(stack.rest_url, new_sender(), NORMAL, timeout=LIVELY))
    assert ZEONLINE.contacts[0].email in answer


def rasa_log(stack: Stack) -> Path:
    return next(s.log_path for s in stack.running if s.name == "rasa")


def log_after(stack: Stack, mark: int) -> str:
    """What the Rasa server logged since `mark` (a size of its log file)."""
    with rasa_log(stack).open("rb") as log:
        log.seek(mark)
        return log.read().decode(errors="replace")


@pytest.fixture
def log_mark(stack: Stack) -> int:
    return rasa_log(stack).stat().st_size


def post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def stored_bytes(stack: Stack, conversation: str) -> int:
    """Bytes of the stored events of one conversation (the stack's SQLite tracker store)."""
    path = stack.tracker_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (size,) = db.execute(
            "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM events WHERE sender_id = ?",
            (conversation,),
        ).fetchone()
    return int(size)


@pytest.fixture
def socket(stack: Stack) -> Iterator[Polling]:
    connection = Polling(stack.rasa_url).connect()
    yield connection
    connection.close()


# --- socket.io ------------------------------------------------------------------------------


def test_a_900000_character_socketio_message_is_refused_before_it_is_read(
    stack: Stack, socket: Polling, log_mark: int
) -> None:
    session = socket.session()
    packet = "42" + json.dumps(["user_uttered", {"message": "a" * 900_000, "session_id": session}])
    assert socket.post(packet, timeout=LIVELY) == 413  # Sanic stops reading at 68 kB
    still_answers(stack)
    assert stored_bytes(stack, namespaced("socketio", session)) == 0
    assert not TRACEBACK.search(log_after(stack, log_mark))


def test_an_over_long_socketio_message_gets_please_shorten_and_is_not_stored(
    stack: Stack, socket: Polling
) -> None:
    session = socket.session()
    answer = " ".join(socket.say(session, "Projekte zu Open Data? " * 250))  # 6,000 characters
    assert any(words in answer for words in TOO_LONG), answer
    assert stored_bytes(stack, namespaced("socketio", session)) == 0
    assert ZEONLINE.contacts[0].email in " ".join(socket.say(session, NORMAL, timeout=LIVELY))


MALFORMED_EVENTS = {
    "no data": [],
    "a string": ["hallo"],
    "a list": [["hallo"]],
    "a number as message": [{"message": 5}],
    "null as message": [{"message": None}],
    "three arguments": ["hallo", 2, 3],
}


def test_malformed_socketio_events_get_a_short_answer_and_no_traceback(
    stack: Stack, socket: Polling, log_mark: int
) -> None:
    session = socket.session()
    for name, args in MALFORMED_EVENTS.items():
        assert socket.emit("user_uttered", *args) == 200, name
        [[answer]] = socket.wait_for("bot_uttered", timeout=LIVELY)
        assert "nicht lesen" in answer["text"], (name, answer)
    for broken in ('42["user_uttered", {"message": ', "42" + "[" * 5000, "4x", "\x00\x00"):
        socket.post(broken)  # Engine.IO may close the socket: a new one below
    fresh = Polling(stack.rasa_url).connect()
    try:
        again = fresh.session(session)
        assert ZEONLINE.contacts[0].email in " ".join(fresh.say(again, NORMAL, timeout=LIVELY))
    finally:
        fresh.close()
    assert not TRACEBACK.search(log_after(stack, log_mark))


ODD_SESSION_IDS = {
    "60 kB": "x" * 60_000,
    "NUL": "\x00" * 32,
    "bidi": "\u202e" + uuid.uuid4().hex,
    "guessable": "1",
    "a path": "../../etc",
}


@pytest.mark.parametrize("asked", list(ODD_SESSION_IDS.values()), ids=list(ODD_SESSION_IDS))
def test_a_session_id_that_is_not_a_random_uuid_is_replaced(
    stack: Stack, socket: Polling, asked: str
) -> None:
    given = socket.session(asked)
    assert given != asked and re.fullmatch(r"[0-9a-f]{32}", given)


def test_a_socket_speaks_only_in_its_own_session(stack: Stack, socket: Polling) -> None:
    mine, other = socket.session(), uuid.uuid4().hex
    assert socket.emit("user_uttered", {"message": NORMAL, "session_id": other}) == 200
    [[answer]] = socket.wait_for("bot_uttered", timeout=LIVELY)
    assert "nicht lesen" in answer["text"]
    assert stored_bytes(stack, namespaced("socketio", other)) == 0
    assert ZEONLINE.contacts[0].email in " ".join(socket.say(mine, NORMAL, timeout=LIVELY))


# --- REST: metadata, sender ids ---------------------------------------------------------------


@pytest.mark.parametrize("levels", [500, 2_000])
def test_nested_metadata_is_a_400_without_a_traceback(
    stack: Stack, log_mark: int, levels: int
) -> None:
    nested = b"[" * levels + b"]" * levels
    body = b'{"sender": "%s", "message": "hallo", "metadata": {"a": %s}}' % (
        new_sender().encode(),
        nested,
    )
    status, answer = post(stack.rest_url, body)
    assert status == 400 and set(json.loads(answer)) == {"error"}
    still_answers(stack)
    assert not TRACEBACK.search(log_after(stack, log_mark))


def test_flat_metadata_of_60_kB_is_not_stored(stack: Stack) -> None:
    sender = new_sender()
    body = {"sender": sender, "message": "Hallo", "metadata": {"pad": "m" * 60_000}}
    status, answer = post(stack.rest_url, json.dumps(body).encode())
    assert status == 200 and text_of(json.loads(answer))
    assert 0 < stored_bytes(stack, namespaced("rest", sender)) < 20_000


def test_a_conversation_is_not_reachable_from_another_channel(
    stack: Stack, socket: Polling
) -> None:
    """Erika asks over socket.io; whoever sends her session id over REST – the id in every
    form – reaches a conversation of their own, and the hand-over quotes nothing of hers."""
    session = socket.session()
    question = "Gibt es Projekte zu Open Data? Ich bin Erika Musterfrau-Abuse"
    assert socket.say(session, question)
    contact = '/project{"project":"owl-paderborn-zeonline","aspect":"contact"}'
    for sender in (session, namespaced("socketio", session)):
        status, answer = post(
            stack.rest_url, json.dumps({"sender": sender, "message": contact}).encode()
        )
        assert b"Musterfrau" not in answer, sender
        assert status in (200, 400)
    status, _ = post(stack.rest_url, json.dumps({"sender": "1", "message": "hallo"}).encode())
    assert status == 400  # a guessable id is no conversation of anyone's


def test_the_hand_over_quotes_only_the_conversations_own_question(stack: Stack) -> None:
    erika, someone = new_sender(), new_sender()
    send(stack.rest_url, erika, "Welche Projekte gibt es zu Open Data? Erika Musterfrau-Abuse")
    contact = '/project{"project":"owl-paderborn-zeonline","aspect":"contact"}'
    own = buttons_of(send(stack.rest_url, erika, contact))
    other = buttons_of(send(stack.rest_url, someone, contact))
    assert any("Musterfrau" in str(b.get("url")) for b in own)  # the owner's own quote
    assert not any("Musterfrau" in str(b.get("url")) for b in other)


# --- logs and echoes ----------------------------------------------------------------------


def test_a_slash_message_with_a_name_does_not_reach_the_log(stack: Stack, log_mark: int) -> None:
    for text in (
        "/{Ich bin Erika Mustermann-Abuse, Tel 0170 1234567}",
        '/greet{"name": "Erika Mustermann-Abuse"} und mehr',
        "/Erika Mustermann-Abuse",
    ):
        status, _ = post(
            stack.rest_url, json.dumps({"sender": new_sender(), "message": text}).encode()
        )
        assert status == 200
    still_answers(stack)
    logged = log_after(stack, log_mark)
    assert "Mustermann" not in logged and "1234567" not in logged


def test_markup_in_an_invented_place_is_not_echoed(stack: Stack) -> None:
    payload = '/region_projects{"region": "Lippstadt **Wichtig:** [hier neu anmelden](//a.io)"}'
    answer = text_of(send(stack.rest_url, new_sender(), payload))
    assert "**Wichtig" not in answer and "](" not in answer, answer
    still_answers(stack)


def test_over_long_rest_messages_are_refused_politely_and_not_stored(stack: Stack) -> None:
    sender = new_sender()
    for length in (MAX_MESSAGE_CHARS + 1, 30_000):
        answer = text_of(send(stack.rest_url, sender, "Open Data " * (length // 10 + 1)))
        assert any(words in answer for words in TOO_LONG), answer
    assert stored_bytes(stack, namespaced("rest", sender)) == 0
    still_answers(stack)
