"""The project's REST channel (channels/rest.py) against the real Rasa server: every malformed
request gets HTTP 400 with a short JSON error, never a 500 or a stack trace."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from service.stack import Stack, send
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
    "missing message": dumps({"sender": "a"}),
    "sender a number": dumps({"sender": 42, "message": "hallo"}),
    "sender empty": dumps({"sender": "", "message": "hallo"}),
    "sender an object": dumps({"sender": {"id": 1}, "message": "hallo"}),
    "sender too long": dumps({"sender": "s" * 300, "message": "hallo"}),
    "message a number": dumps({"sender": "a", "message": 7}),
    "message null": dumps({"sender": "a", "message": None}),
    "message a list": dumps({"sender": "a", "message": ["hallo"]}),
    "message over 10 k characters": dumps({"sender": "a", "message": "x" * 10_001}),
    "body over 64 kB": dumps({"sender": "a", "message": "hallo", "pad": "x" * 70_000}),
    "metadata a list": dumps({"sender": "a", "message": "hallo", "metadata": [1]}),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_request_gets_400_and_a_short_json_error(stack: Stack, case: str) -> None:
    status, body = post(stack.rest_url, MALFORMED[case])
    assert status == 400, (status, body[:200])
    answer = json.loads(body)
    assert set(answer) == {"error"} and 0 < len(answer["error"]) < 120
    assert b"Traceback" not in body


def test_wrong_content_type_with_a_good_body_is_still_answered(stack: Stack) -> None:
    status, body = post(
        stack.rest_url, dumps({"sender": "rest-ct", "message": "Hallo"}), "text/plain"
    )
    assert status == 200
    assert text_of(json.loads(body))


def test_a_good_request_after_the_bad_ones_is_answered(stack: Stack) -> None:
    for body in MALFORMED.values():
        post(stack.rest_url, body)
    assert "ZEonline" in text_of(send(stack.rest_url, "rest-good", "Was macht ZEonline?"))


def test_the_channel_health_route_answers(stack: Stack) -> None:
    with urllib.request.urlopen(stack.rasa_url + "/webhooks/rest/", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok"}
