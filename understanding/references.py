"""References a message makes by position or by name (rules: the closed part of language).

- `ordinal`: a list position ("das zweite", "Nummer 3", "the last one" → -1);
- `of_those`: "welche davon …", "which of those …" narrows the list just shown;
- `unknown_project`: „das Projekt Bürgerbus Minden“ names a project the documents do not
  know (None when a printed project has that name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index import vocabulary as v
from index.names import NameMatch
from index.text import fold, words

_BY_WORD = {w: n for n, ws in v.ORDINALS.items() for w in ws}
_NUMBERED = re.compile(r"(?:nummer|nr\.?|number|no\.|#)\s*(\d)\b", re.IGNORECASE)
_DIGIT_ORDINAL = re.compile(r"(?<![\d.])(\d)\s*\.(?!\d)|\b(\d)(?:st|nd|rd|th|te|ter|tes)\b")
_BARE_DIGIT = re.compile(r"^\D{0,12}\b(\d)\b\D{0,12}$")
_OF_THOSE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in v.OF_THOSE) + r")\b")


def ordinal(text: str) -> int | None:
    """1-based list position named in `text` (-1 for the last)."""
    if m := _NUMBERED.search(text):
        return int(m.group(1))
    if m := _DIGIT_ORDINAL.search(text):
        return int(m.group(1) or m.group(2))
    tokens = words(text)
    for i, token in enumerate(tokens):
        if token in _BY_WORD and token not in v.CARDINALS:
            return _BY_WORD[token]
        # a cardinal only after "nummer"/"number" or as the whole message ("zwei", "two")
        if token in v.CARDINALS and (len(tokens) == 1 or (i and tokens[i - 1] in v.NUMBER_WORDS)):
            return _BY_WORD[token]
    if m := _BARE_DIGIT.match(text.strip()):
        return int(m.group(1))
    return None


def of_those(text: str) -> bool:
    return bool(_OF_THOSE.search(fold(text)))


# „das Projekt Bürgerbus Minden“, "the project Citizen Bus": a name right after the word.
_NAMED_PROJECT = re.compile(
    r"\b(?:[Pp]rojekts?|[Vv]orhabens?|[Pp]roject)\s+(?:namens\s+|called\s+|named\s+)?[„\"'“‚]?"
    r"((?:[A-ZÄÖÜ0-9][\w.\-]*)(?:\s+[A-ZÄÖÜ0-9][\w.\-]*){0,3})"
)


def unknown_project(text: str, names: Iterable[NameMatch]) -> str | None:
    """The name a question gives a project when no printed project has it."""
    m = _NAMED_PROJECT.search(text)
    if m is None:
        return None
    known = any(n.entry.kind == "project" and not n.partial and n.score >= 0.8 for n in names)
    return None if known else m.group(1).strip(" .?!“”\"'")
