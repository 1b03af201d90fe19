"""`actions.base`: what is refused before anything is read, and how a reply is sent."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AnswerAction, respond, send
from actions.context import Update
from actions.inputs import MAX_LENGTH
from actions.texts import t
from actions.turn import Reply
from understanding.state import Context


@pytest.mark.parametrize(
    ("text", "key", "language"),
    [
        ("Projekte " * (MAX_LENGTH // 9 + 1), "too_long", "de"),
        ("Which projects " * (MAX_LENGTH // 15 + 1), "too_long", "en"),
        ("<b>Projekte</b> in Soest", "markup", "de"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "markup", "de"),
        ("<i>Which projects run in Soest?</i>", "markup", "en"),
        ("", "empty", "de"),
        ("   \x00\u200b ", "empty", "de"),
    ],
)
def test_input_is_refused_politely_before_it_is_read(text: str, key: str, language: str) -> None:
    # no retriever: nothing may be understood or searched
    question, reply = respond({"text": text}, Context(), retriever=None)
    assert question is None
    assert reply.kind == "refusal"
    values = {"limit": MAX_LENGTH} if key == "too_long" else {}
    assert reply.texts == [t(key, language, **values)]
    assert reply.update.values == {}  # the conversation's context stays


def test_a_refusal_keeps_the_conversation_s_language() -> None:
    _, reply = respond({"text": ""}, Context(language="en"), retriever=None)
    assert reply.texts == [t("empty", "en")]


def test_every_message_carries_the_reply_kind_and_buttons_go_last() -> None:
    dispatcher = CollectingDispatcher()
    buttons = [{"title": "Mehr anzeigen", "payload": "/show_more"}]
    reply = Reply(
        kind="unsure",
        texts=["eins", "zwei"],
        buttons=buttons,
        update=Update(),
        custom={"timeline": {"rows": []}},
    )
    send(dispatcher, reply)
    first, second, picture = dispatcher.messages
    assert [m["reply_kind"] for m in dispatcher.messages] == ["unsure"] * 3
    assert (first["text"], first["buttons"]) == ("eins", [])
    assert (second["text"], second["buttons"]) == ("zwei", buttons)
    assert picture["custom"] == reply.custom and not picture["text"]


def test_a_reply_without_text_still_sends_one_message() -> None:
    dispatcher = CollectingDispatcher()
    send(dispatcher, Reply(kind="talk"))
    (message,) = dispatcher.messages
    assert message["text"] == "" and message["reply_kind"] == "talk"


def test_the_action_s_name() -> None:
    assert AnswerAction().name() == "action_answer"
