"""Small talk is answered by Rasa's domain responses: the language must still be right,
also on the first message (the slot is set by rasa_components.language.LanguagePolicy)."""

from __future__ import annotations

import pytest

from actions.texts import t
from tests.e2e.chat import Say

pytestmark = pytest.mark.e2e  # starts the servers: not part of the fast layers


def texts(answer: list[dict]) -> list[str]:
    return [m.get("text") or "" for m in answer]


def test_english_thanks_as_first_message(conversation: Say) -> None:
    assert texts(conversation("thanks")) == [t("thank", "en")]


def test_german_thanks_as_first_message(conversation: Say) -> None:
    assert texts(conversation("danke")) == [t("thank", "de")]


def test_language_follows_the_messages(conversation: Say) -> None:
    hi = conversation("hi")  # no clear vote: the conversation's language, German at the start
    assert texts(hi) == [t("greet", "de")]
    assert texts(conversation("What can you do?")) == [t("capabilities", "en")]
    again = conversation("hi")  # still no vote: stays English now
    assert texts(again) == [t("greet", "en")]
    assert [b["title"] for b in again[-1]["buttons"]][-1] == t("button_programme", "en")
    assert texts(conversation("Bist du ein Bot?")) == [t("bot_challenge", "de")]
    assert texts(conversation("Tschüss")) == [t("goodbye", "de")]


def test_english_search_after_german_small_talk(conversation: Say) -> None:
    conversation("Hallo")
    answer = " ".join(texts(conversation("Who is the contact for the Smartphone-Bürger-ID?")))
    assert "Smartphone-Bürger-ID" in answer
    assert texts(conversation("Thank you")) == [t("thank", "en")]
