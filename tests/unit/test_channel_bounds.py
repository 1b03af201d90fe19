"""The one set of bounds every channel applies (channels/bounds.py) and the common entry
(channels/gate.py): ids, sizes, nesting, metadata, the polite refusal, the log redaction."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.bounds import (
    LONG_MESSAGE_CHARS,
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    Refused,
    channel_id,
    client_part,
    json_object,
    metadata,
    namespaced,
    random_id,
)
from channels.gate import REDACTED, ContentRedaction, Gate
from channels.rest import parse


@pytest.mark.parametrize("good", [uuid.uuid4().hex, str(uuid.uuid4()), str(uuid.uuid4()).upper()])
def test_random_ids_are_uuid_shaped(good: str) -> None:
    assert random_id(good) == good


@pytest.mark.parametrize(
    "bad",
    ["1", "", "x" * 100_000, "\x00" * 32, "\u202e" + uuid.uuid4().hex, uuid.uuid4().hex + "\n",
     "rest:" + uuid.uuid4().hex, None, 42, ["a"], {"id": 1}],
    ids=["short", "empty", "100k", "NUL", "bidi", "newline", "namespaced", "None", "int",
         "list", "dict"],
)  # fmt: skip
def test_anything_else_is_refused_as_an_id(bad: object) -> None:
    with pytest.raises(Refused, match="random UUID"):
        random_id(bad)


def test_channel_ids_are_short_and_plain() -> None:
    assert channel_id(-1001234567) == "-1001234567"
    assert channel_id("a" * 32) == "a" * 32
    for bad in ("a" * 65, "!room:server", "a b", "", True):
        with pytest.raises(Refused):
            channel_id(bad)


def test_conversations_are_namespaced_by_channel() -> None:
    ids = {namespaced(channel, "42") for channel in ("rest", "socketio", "telegram", "matrix")}
    assert len(ids) == 4
    assert client_part(namespaced("telegram", "-1001")) == "-1001"
    with pytest.raises(ValueError):
        namespaced("unknown", "42")


def test_json_bodies_are_bounded_in_size_and_depth() -> None:
    assert json_object(b'{"a": [[1]]}') == {"a": [[1]]}
    for body, reason in (
        (b"", "empty"),
        (b"x" * (MAX_BODY_BYTES + 1), "larger"),
        (b"[1]", "object"),
        (b"\xff", "not JSON"),
        (b'{"a": ' + b"[" * 500 + b"]" * 500 + b"}", "nested"),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "larger"),
        (b'{"a": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "nested"),  # RecursionError
    ):
        with pytest.raises(Refused, match=reason):
            json_object(body)


def test_metadata_is_dropped_unless_a_channel_names_keys_then_flat_and_small() -> None:
    assert metadata({"room_id": "!a:b", "x": {"deep": [1]}}) is None
    assert metadata(None, ["room_id"]) is None
    assert metadata({"room_id": "!a:b", "other": 1}, ["room_id"]) == {"room_id": "!a:b"}
    for bad in ([1], "text"):
        with pytest.raises(Refused, match="object"):
            metadata(bad)
    with pytest.raises(Refused, match="flat"):
        metadata({"room_id": {"a": 1}}, ["room_id"])
    with pytest.raises(Refused, match="larger"):
        metadata({"room_id": "r" * 2000}, ["room_id"])


def test_the_rest_request_is_parsed_with_the_bounds() -> None:
    sender, message_id = str(uuid.uuid4()), uuid.uuid4().hex
    body = {"sender": sender, "message": "Hallo", "message_id": message_id, "metadata": {}}
    incoming = parse(json.dumps(body).encode())
    assert (incoming.sender, incoming.message, incoming.message_id) == (
        sender,
        "Hallo",
        message_id,
    )
    with pytest.raises(Refused, match="message_id"):
        parse(json.dumps({**body, "message_id": "1"}).encode())
    with pytest.raises(Refused, match="message must be a string"):
        parse(json.dumps({**body, "message": 7}).encode())


def handled_by_gate(text: str) -> tuple[list[UserMessage], list[dict]]:
    handled: list[UserMessage] = []

    async def handler(message: UserMessage) -> None:
        handled.append(message)

    output = CollectingOutputChannel()
    message = UserMessage(text, output, "abc", metadata={"pad": "x" * 60_000})
    asyncio.run(Gate("socketio", handler)(message))
    return handled, output.messages


def test_the_gate_namespaces_and_drops_metadata() -> None:
    [message], answer = handled_by_gate("Hallo")
    assert message.sender_id == "socketio:abc" and message.metadata is None and answer == []


@pytest.mark.parametrize(
    ("text", "words"),
    [("Projekte " * 120, "zu lang"), ("Which projects are there? " * 60, "too long")],
)
def test_an_over_long_message_gets_a_polite_answer_and_is_not_handled(
    text: str, words: str
) -> None:
    assert len(text.strip()) > MAX_MESSAGE_CHARS
    handled, [answer] = handled_by_gate(text)
    assert handled == [] and words in answer["text"]
    assert answer["recipient_id"] == "socketio:abc"


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("rasa", logging.WARNING, __file__, 1, message, (), None)


def test_structured_log_lines_lose_their_content_but_keep_the_event() -> None:
    line = json.dumps({"user_text": "/{Ich bin Erika}", "event": "message.parsing.failed"})
    redacted = record(line)
    assert ContentRedaction().filter(redacted)
    assert json.loads(redacted.getMessage()) == {
        "user_text": REDACTED,
        "event": "message.parsing.failed",
    }
    plain = record("Rasa server is up and running.")
    ContentRedaction().filter(plain)
    assert plain.getMessage() == "Rasa server is up and running."


def test_long_messages_are_handed_to_rasa_one_at_a_time_short_ones_pass() -> None:
    inside: list[str] = []
    most = {"long": 0, "all": 0}

    async def handler(message: UserMessage) -> None:
        inside.append(message.text or "")
        most["long"] = max(most["long"], sum(len(t) > LONG_MESSAGE_CHARS for t in inside))
        most["all"] = max(most["all"], len(inside))
        await asyncio.sleep(0.05)
        inside.remove(message.text or "")

    async def main() -> None:
        gate = Gate("rest", handler)
        texts = [f"{n} " + "lang " * 100 for n in range(4)] + [f"kurz {n}" for n in range(4)]
        await asyncio.gather(*(gate(UserMessage(t, sender_id="s")) for t in texts))

    asyncio.run(main())
    assert most["long"] == 1 and most["all"] >= 4
