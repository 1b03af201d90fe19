"""Which language the user writes: German (default) or English.

A stop-word vote: short function words are the most reliable signal in chat messages, which
are often just a few words long. Umlauts and ß count for German. A message without a clear
signal (a name, a number, a button payload) keeps the language of the conversation so far.
"""

from __future__ import annotations

import re
from typing import Literal

from index import vocabulary

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT: Language = "de"

_WORD = re.compile(r"[a-zäöüß']+")

GERMAN = vocabulary.GERMAN_VOTERS
ENGLISH = vocabulary.ENGLISH_VOTERS

# Words that are written the same in both languages do not vote ("in", "so", "was", "man").
_SHARED = GERMAN & ENGLISH
_GERMAN_ONLY = GERMAN - _SHARED
_ENGLISH_ONLY = ENGLISH - _SHARED
_GERMAN_LETTERS = re.compile(r"[äöüß]")


def scores(text: str) -> tuple[int, int]:
    """(German votes, English votes) of a message."""
    words = _WORD.findall(text.lower())
    german = sum(w in _GERMAN_ONLY for w in words)
    english = sum(w in _ENGLISH_ONLY for w in words)
    german += len(_GERMAN_LETTERS.findall(text.lower())) and 1
    return german, english


def vote(text: str) -> Language | None:
    """The language `text` clearly shows, or None ("hi", a name, a number, a button payload)."""
    if text.startswith("/"):  # a button payload ("/show_more") says nothing about language
        return None
    german, english = scores(text)
    if english > german:
        return "en"
    if german > english:
        return "de"
    return None


def detect(text: str, previous: str | None = None) -> Language:
    """The language of `text`; without a clear vote the previous language, else German."""
    return vote(text) or normalise(previous)


def normalise(language: str | None) -> Language:
    """A supported language code; anything else is German."""
    return "en" if language == "en" else DEFAULT
