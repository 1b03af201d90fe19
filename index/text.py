"""German-friendly text normalisation shared by the lexical index and the name matcher.

Folding makes "Bürger", "Buerger" and "BÜRGER" the same string ("buerger"), so users who
type without umlauts (or on an English keyboard) still match the printed names.
"""

from __future__ import annotations

import re
import unicodedata

from index import vocabulary

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_WORD = re.compile(r"[a-z0-9]+")


STOPWORDS = vocabulary.STOPWORDS


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
