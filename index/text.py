"""German-friendly text normalisation shared by the lexical index and the name matcher.

Folding makes "Bürger", "Buerger" and "BÜRGER" the same string ("buerger"), so users who
type without umlauts (or on an English keyboard) still match the printed names.
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_WORD = re.compile(r"[a-z0-9]+")


def wordlist(block: str) -> frozenset[str]:
    """The whitespace-separated words of a text block (readable long word lists)."""
    return frozenset(block.split())


# Short German and English function words. They never identify a document or a name, and a
# one-word stop word must not fuzzy-match a short name ("sonst" ~ "Soest").
GERMAN_STOPWORDS: frozenset[str] = wordlist(
    """
    aber ab alle allem allen aller alles als also am an andere anderen auch auf aus bald bei
    beim bin bis bitte bist bzw da damit dann das dass dem den denn der des die dies diese
    diesem diesen dieser dieses doch dort du durch eigentlich ein eine einem einen einer eines
    er es etwa etwas euch euer fuer fuers gab genau gerade gern gerne gibt habe haben hat
    hatte hier ich ihr ihre ihrem ihren ihrer im in ins ist ja jede jeder jetzt kann kein
    keine koennen kannst mal man mehr mein meine meinem meinen meiner mich mir mit muss nach
    nicht noch nun nur ob oder ohne per schon sein seine seinem seinen sich sie sind so soll
    sollen sonst sowas ueber uebers ueberhaupt um und uns unser unter viel viele vielen vom
    von vor wann war waren warum was weil welche welchem welchen welcher welches wem wen wenn
    wer werden wie wieder will wir wird wo wurde wurden zu zum zur
    """
)
ENGLISH_STOPWORDS: frozenset[str] = wordlist(
    """
    a about also an and any are as at be been being but by can could did do does for from
    get go had has have how i if in into is it its just may me might more most much must my
    no not of on only or our out over please s shall should so some such tell than that the
    their them then there these they this those through to too us very was we were what when
    where which who whom whose why will with would you your
    """
)
STOPWORDS: frozenset[str] = GERMAN_STOPWORDS | ENGLISH_STOPWORDS
_AMBIGUOUS = GERMAN_STOPWORDS & ENGLISH_STOPWORDS  # "in", "so", "was", "will", …


def fold(text: str) -> str:
    """Lower-case, spell umlauts out (ä→ae, ß→ss) and drop other accents (é→e)."""
    text = text.lower().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded alphanumeric words; hyphens, slashes and dashes separate words ("Bürger-ID")."""
    return _WORD.findall(fold(text))


def content_words(text: str) -> list[str]:
    """`words` without stop words."""
    return [w for w in words(text) if w not in STOPWORDS]
