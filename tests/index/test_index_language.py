"""Language detection (`index.language`): German by default, English when the user writes
English; `vote` is what the NLU's evidence carries (None without a clear signal)."""

from __future__ import annotations

import pytest

from index.language import detect, normalise, scores, vote


@pytest.mark.parametrize(
    "text",
    [
        "Welche Projekte gibt es in Soest?",
        "Und wer ist da der Ansprechpartner?",
        "Wie lange läuft das?",
        "Ist das übertragbar?",
        "Woher stammt das?",
        "das zweite",
        "Bist du ein Bot?",
        "Danke schön",
        "Gibt es Projekte zur Kita-Anmeldung?",
        "Grüß Gott",
    ],
)
def test_german(text: str) -> None:
    assert detect(text) == "de"
    assert detect(text, previous="en") == "de"


@pytest.mark.parametrize(
    "text",
    [
        "Which projects are there in Soest?",
        "Who is the contact person?",
        "How long does it run?",
        "Where does this come from?",
        "the second one",
        "Are you a bot?",
        "Thank you",
        "Good morning",
        "Is there an online daycare registration in Soest?",
        "What can you do?",
    ],
)
def test_english(text: str) -> None:
    assert detect(text) == "en"
    assert detect(text, previous="de") == "en"


@pytest.mark.parametrize("text", ["Soest", "govchain", "2021", "IVOD", "ok", "", "???"])
def test_no_signal_keeps_the_conversation_language(text: str) -> None:
    assert detect(text) == "de"
    assert detect(text, previous="en") == "en"
    assert detect(text, previous="de") == "de"


def test_button_payloads_keep_the_language() -> None:
    assert detect('/project{"project":"soest-govbot","aspect":"contact"}', previous="en") == "en"
    assert detect("/show_more", previous="de") == "de"
    assert vote("/greet") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which projects are there in Soest?", "en"),
        ("Welche Projekte gibt es in Soest?", "de"),
        ("Soest", None),
        ("in so was", None),
        ("Bürgerbüro", "de"),  # umlauts vote for German
    ],
)
def test_vote_is_none_without_a_clear_signal(text: str, expected: str | None) -> None:
    assert vote(text) == expected


def test_umlauts_count_for_german() -> None:
    german, english = scores("Bürgerbüro")
    assert german == 1 and english == 0


def test_words_of_both_languages_do_not_vote() -> None:
    assert scores("in so was") == (0, 0)


def test_normalise() -> None:
    assert normalise("en") == "en"
    assert normalise("fr") == normalise(None) == normalise("de") == "de"
