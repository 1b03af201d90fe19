"""Which language the user writes: German (default) or English.

A stop-word vote: short function words are the most reliable signal in chat messages, which
are often just a few words long. Umlauts and ß count for German. A message without a clear
signal (a name, a number, a button payload) keeps the language of the conversation so far.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT: Language = "de"

_WORD = re.compile(r"[a-zäöüß']+")

GERMAN: frozenset[str] = frozenset(
    """
    aber alle als also am an auch auf aus bei beim bin bis bitte bist da dafür damit dann das
    dass dem den denn der des dich die dies diese diesem diesen dieser dieses doch dort du durch
    ein eine einem einen einer eines er es etwas gibt gib habe haben hallo hat ich ihr ihnen im
    in ist ja jetzt kann kannst kein keine können läuft laufen mal man mehr mein mich mir mit
    muss nach nein nicht noch nur oder ohne sich sie sind so soll über um und uns vom von vor
    war was weiter welche welcher welches welchen wem wen wer werden wie wieso wir wird wo woher
    worum wurde zeig zeige zu zum zur danke tschüss moin servus guten tag morgen abend erzähl
    erzähle projekt projekte ansprechpartner ansprechpartnerin laufzeit zweite erste dritte
    letzte nummer stammt quelle übertragbar gemacht davon dazu darüber wann lange
    hallöchen grüß gott wiedersehen bald später schönen gerne genau richtig stimmt klar passt
    nö nee falsch lieber dankeschön herzlichen vielen nächsten weitere zeig servus tschö
    """.split()  # noqa: SIM905
)

ENGLISH: frozenset[str] = frozenset(
    """
    a about all an and any are as at be bot by can could do does for from give has have hello
    how i i'm in is it it's me more my no not of on one or please projects project run
    running show so tell thank thanks that the their them there these this those to was what
    when where which who whom why will with would yes you your bye goodbye second first third
    last next contact person responsible source transferable long does is are what's who's
    where's many much other others something good morning afternoon evening greetings sure
    yep yeah nope correct exactly sounds great later take care cheers thx ty option number
    right wrong howdy hiya
    """.split()  # noqa: SIM905
)

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
