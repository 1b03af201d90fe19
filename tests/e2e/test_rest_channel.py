"""The project's REST channel (channels/rest.py) against the real Rasa server: every malformed
request gets HTTP 400 with a short JSON error, never a 500 or a stack trace; a body beyond
what the server reads at all gets 413."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from channels.bounds import MAX_READ_BYTES, namespaced
from service.stack import Stack, new_sender, send
from tests.e2e.chat import text_of

pytestmark = pytest.mark.e2e


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def dumps(value: object) -> bytes:
    return json.dumps(value).encode()


S = new_sender()  # a well-formed sender, where another field is what is wrong

MALFORMED = {
    "empty body": b"",
    "only whitespace": b"  \n ",
    "not JSON": b"sender=a&message=hallo",
    "broken JSON": b'{"sender": "a", "message": ',
    "not UTF-8": b'{"sender": "a", "message": "\xff\xfe"}',
    "JSON list": dumps([{"sender": "a", "message": "hallo"}]),
    "JSON string": dumps("hallo"),
    "JSON null": b"null",
    "missing sender": dumps({"message": "hallo"}),
    "missing message": dumps({"sender": S}),
    "sender a number": dumps({"sender": 42, "message": "hallo"}),
    "sender empty": dumps({"sender": "", "message": "hallo"}),
    "sender an object": dumps({"sender": {"id": 1}, "message": "hallo"}),
    "sender too long": dumps({"sender": "s" * 300, "message": "hallo"}),
    "sender guessable": dumps({"sender": "1", "message": "hallo"}),
    "sender a UUID with a NUL": dumps({"sender": S + "\x00", "message": "hallo"}),
    "sender with bidi marks": dumps({"sender": "\u202e" + S, "message": "hallo"}),
    "sender of another channel": dumps({"sender": "telegram:12345", "message": "hallo"}),
    "message a number": dumps({"sender": S, "message": 7}),
    "message null": dumps({"sender": S, "message": None}),
    "message a list": dumps({"sender": S, "message": ["hallo"]}),
    "message_id guessable": dumps({"sender": S, "message": "hallo", "message_id": "7"}),
    "body over 64 kB": dumps({"sender": S, "message": "hallo", "pad": "x" * 66_000}),
    "metadata a list": dumps({"sender": S, "message": "hallo", "metadata": [1]}),
    "JSON nested 2,000 levels": b'{"sender": "a", "message": "x", "m": '
    + b"[" * 2000
    + b"]" * 2000
    + b"}",
    "metadata nested 500 levels": dumps({"sender": S, "message": "hallo"})[:-1]
    + b', "metadata": {"a": '
    + b"[" * 500
    + b"]" * 500
    + b"}}",
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_request_gets_400_and_a_short_json_error(stack: Stack, case: str) -> None:
    status, body = post(stack.rest_url, MALFORMED[case])
    assert status == 400, (status, body[:200])
    answer = json.loads(body)
    assert set(answer) == {"error"} and 0 < len(answer["error"]) < 120
    assert b"Traceback" not in body


def test_a_body_beyond_what_the_server_reads_gets_413(stack: Stack) -> None:
    status, body = post(stack.rest_url, b"x" * (MAX_READ_BYTES + 1))
    assert status == 413, (status, body[:200])
    assert b"Traceback" not in body


def test_wrong_content_type_with_a_good_body_is_still_answered(stack: Stack) -> None:
    status, body = post(
        stack.rest_url, dumps({"sender": new_sender(), "message": "Hallo"}), "text/plain"
    )
    assert status == 200
    assert text_of(json.loads(body))


def test_a_good_request_after_the_bad_ones_is_answered(stack: Stack) -> None:
    for body in MALFORMED.values():
        post(stack.rest_url, body)
    assert "ZEonline" in text_of(send(stack.rest_url, new_sender(), "Was macht ZEonline?"))


def test_the_channel_health_route_answers(stack: Stack) -> None:
    with urllib.request.urlopen(stack.rasa_url + "/webhooks/rest/", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok"}


def stored_user_turns(stack: Stack, sender: str) -> int:
    """The user messages stored for one REST conversation (the stack's SQLite store)."""
    path = stack.tracker_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (stored,) = db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
            (namespaced("rest", sender),),
        ).fetchone()
    return int(stored)


def test_a_retried_turn_is_answered_from_the_store_not_processed_twice(stack: Stack) -> None:
    """What the balancer does when a Rasa server died after storing a turn: the same request
    (same message_id) again. It gets the stored answer; the turn is stored once."""
    sender, message_id = new_sender(), uuid.uuid4().hex
    send(stack.rest_url, sender, "Was macht das Projekt ZEonline?")
    first = send(stack.rest_url, sender, "Wer ist da der Ansprechpartner?", message_id=message_id)
    again = send(stack.rest_url, sender, "Wer ist da der Ansprechpartner?", message_id=message_id)
    assert again == first and "@" in text_of(first)
    assert stored_user_turns(stack, sender) == 2
    # a new message_id is a new turn
    send(stack.rest_url, sender, "Wer ist da der Ansprechpartner?", message_id=uuid.uuid4().hex)


def test_a_turn_repeated_while_the_first_still_runs_is_processed_once(stack: Stack) -> None:
    """What the balancer does when a server answers too slowly: the same request again while
    the first is still being processed. Both get the one answer; the turn is stored once."""
    sender, message_id = new_sender(), uuid.uuid4().hex
    text = "Welche Projekte gibt es in der Modellregion Soest und wer ist jeweils zuständig?"
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(lambda _: send(stack.rest_url, sender, text, message_id=message_id), range(4))
        )
    assert all(a == answers[0] for a in answers) and text_of(answers[0])
    assert stored_user_turns(stack, sender) == 1
