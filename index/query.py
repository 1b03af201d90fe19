"""What a search is given: a `Query`, the lexical reading of a question's text.

`read_query` takes the question's text and the printed names it mentions (matched once per
turn by the NLU, `understanding.evidence`, or here by the name index) and returns what the
retrieval scores with: the words to search for (without the names of places and persons, which
are matched exactly and would otherwise make every document of a region look relevant), the
content words that carry the question's subject, the names of projects and topics, the region,
towns, persons and outside places, and the facets the caller read (year, status, language).

It decides nothing about what is asked; that is `understanding` (kinds, aspects, targets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from index import vocabulary
from index.names import NameIndex, NameMatch
from index.text import STOPWORDS, fold, words

_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
REGION_MIN = 0.8  # a region name matched at least this well is the question's region
PERSON_MIN = 0.8
ACTOR_MIN = 0.9


@dataclass(frozen=True)
class Query:
    text: str  # the words to search with (names of places and persons removed)
    names: Mapping[str, NameMatch]  # best project / topic name match per document id
    people: frozenset[str] = frozenset()  # person keys of the contacts mentioned
    actor: str | None = None
    region: str | None = None
    regions: tuple[str, ...] = ()  # every region named, in the order named
    municipalities: frozenset[str] = frozenset()  # folded names of the towns mentioned
    other_place: str | None = None  # a place outside the model regions
    place_words: frozenset[str] = frozenset()
    year: int | None = None  # a project active then gets a bonus
    status: str | None = None
    residual: tuple[str, ...] = ()  # content words left after names, places, years, framing
    nouns: frozenset[str] = frozenset()  # words written capitalised after the first word
    english: bool = False
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def subject(self) -> tuple[str, ...]:
        """The residual words long enough to carry a subject (not "e", "d")."""
        return tuple(w for w in self.residual if len(w) >= 4)

    @property
    def generic_share(self) -> float:
        """Share of the subject words (3+ letters) that are generic administration intents."""
        subject = [w for w in self.residual if len(w) >= 3]
        return sum(is_generic(w) for w in subject) / len(subject) if subject else 0.0


def municipality_key(name: str) -> str:
    """A municipality's name without "Stadt"/"Kreis", folded: "Stadt Soest" → "soest"."""
    key = " ".join(fold(name).split())
    for prefix in vocabulary.PLACE_PREFIXES:
        key = key.removeprefix(f"{prefix} ")
    return key


def read_query(
    text: str,
    names: NameIndex | Iterable[NameMatch],
    *,
    english: bool = False,
    year: int | None = None,
    status: str | None = None,
    vector: np.ndarray | None = None,
) -> Query:
    """The query of a question's text; `names` is the name index (matched here) or the
    matches the NLU found."""
    matches = names.match(text) if isinstance(names, NameIndex) else list(names)
    regions: dict[str, int] = {}
    municipalities: set[str] = set()
    place: str | None = None
    place_words: set[str] = set()
    people: set[str] = set()
    actor: str | None = None
    covered: set[str] = set()
    for m in matches:
        kind = m.entry.kind
        if kind == "region" and m.score >= REGION_MIN:
            regions.setdefault(m.target, _position(text, m.span))
            municipalities.add(municipality_key(m.entry.display))
        elif kind == "place":
            if place is None:
                place, place_words = m.target, set(words(m.target))
        elif kind == "person" and m.score >= PERSON_MIN:
            people.add(m.target)
        elif kind == "actor" and m.score >= ACTOR_MIN:
            actor = actor or m.target
            continue  # an actor's name may also name a topic ("Stadt.Land.Digital")
        else:
            continue
        covered.update(w for span in m.spans for w in span.split())
    documents: dict[str, NameMatch] = {}
    for m in matches:
        # A partial match on a word that names a region or person is that mention, not
        # the document's name ("Solingen" in "Ausländerbehörde Solingen").
        if m.entry.kind in ("project", "topic") and not (m.partial and m.span in covered):
            documents.setdefault(m.target, m)
    named = tuple(sorted(regions, key=regions.__getitem__))
    region = named[0] if named else None
    if region is not None:
        place, place_words = None, set()
    tokens = words(text)
    residual = tuple(
        t
        for t in tokens
        if t not in STOPWORDS
        and t not in vocabulary.FACET_WORDS
        and t not in covered
        and not _YEAR.fullmatch(t)
    )
    kept = [w for w in _WORD.findall(text) if not set(words(w)) <= covered]
    searched = " ".join(kept) if covered and any(set(words(w)) - STOPWORDS for w in kept) else text
    original = _WORD.findall(text)
    return Query(
        text=searched,
        names=documents,
        people=frozenset(people),
        actor=actor,
        region=region,
        regions=named,
        municipalities=frozenset(municipalities),
        other_place=place,
        place_words=frozenset(place_words),
        year=year,
        status=status,
        residual=residual,
        nouns=frozenset(f for w in original[1:] if w[:1].isupper() for f in words(w)),
        english=english,
        vector=vector,
    )


def _position(text: str, span: str) -> int:
    """Where in the text a matched (folded) span starts; the end when it cannot be found."""
    folded = " ".join(words(text))
    at = folded.find(span)
    return at if at >= 0 else len(folded)


_GENERIC_STEMS: frozenset[str] | None = None


def is_generic(word: str) -> bool:
    """A generic administration intent (`vocabulary.GENERIC_WORDS`), compared after stemming."""
    global _GENERIC_STEMS
    from index.lexical import stem

    if _GENERIC_STEMS is None:
        _GENERIC_STEMS = frozenset(stem(w) for w in vocabulary.GENERIC_WORDS)
    return word in vocabulary.GENERIC_WORDS or stem(word) in _GENERIC_STEMS
