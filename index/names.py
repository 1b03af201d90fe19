"""Fuzzy matching of names mentioned in a query: projects, topics, regions, persons, places.

Every printed name and alias is folded ("Bürger-ID" → "buerger id") and compared with every
run of 1–n consecutive query words. A name matches when the Indel edit distance (insertions
plus deletions; a substitution or swap costs 2) stays within a budget that grows with the
length of the name, so typos ("Paderbron"), missing umlauts ("buerger id") and joined or split
words ("Dorfapp", "dorf app") still match, while

- short names (≤ 4 letters: "IVOD", "OWL") only match exactly — one typo in four letters is
  already another word;
- a long name missing its distinctive tail does not ("Modellregion" is not "Modellregion OWL");
- a one-word run of stop words never matches ("sonst" is not "Soest");
- a fuzzy match never drops a short distinctive word of the name ("Bürger" is not
  "Bürger-ID", "Dorf" is not "Dorf-App").

Besides whole names, a single *rare* word of a project or topic name ("Schlosskreuzung" for
"Modellprojekt Schlosskreuzung") is a weaker, partial match. Rare means it occurs in at most
`PARTIAL_MAX_DOCS` documents of the whole corpus, so "Projekt" or "digital" never qualify.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from index import vocabulary
from index.domain import Contact, Knowledge, PersonHit
from index.places import gazetteer
from index.text import STOPWORDS, words

NameKind = Literal["project", "topic", "region", "person", "place", "actor"]

_PREFIXES = tuple(f"{p} " for p in vocabulary.PLACE_PREFIXES)
MAX_WINDOW = 6
PARTIAL_MAX_DOCS = 3
PARTIAL_MIN_LEN = 6
SURNAME_FACTOR = 0.92  # a surname alone is a little less certain than the full name


def edit_budget(name: str, single_word: bool = True) -> int:
    """Indel edits a query may differ from a name of this folded length and still match it.

    Three edits only for one long word ("gewerbeserviceportal"): in a name of several words,
    three edits would let the query drop a short distinctive word ("Modellkommunen" is not
    "Modellkommunen.NRW").
    """
    letters = len(name.replace(" ", ""))
    if letters <= 4:
        return 0
    if letters <= 15 or not single_word:
        return 2  # one substituted or swapped letter, or two missing/extra ones
    return 3


@dataclass(frozen=True)
class NameEntry:
    text: str  # folded words joined by single spaces
    display: str  # as printed
    kind: NameKind
    target: str  # document id, region id, person key or place name
    factor: float = 1.0  # < 1 for weaker forms (a surname alone)

    @property
    def single_word(self) -> bool:
        """Printed as one word (not a joined form of several)."""
        return len(_norm(self.display).split()) == 1


@dataclass(frozen=True)
class NameMatch:
    entry: NameEntry
    score: float  # 0–1
    span: str  # the folded query words that matched best
    partial: bool = False
    spans: tuple[str, ...] = ()  # every run of query words that matched this target

    @property
    def target(self) -> str:
        return self.entry.target


@dataclass
class _Person:
    contact: Contact
    owners: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(words(text))


def _variants(name: str, strip_prefixes: bool = False) -> set[str]:
    """Folded forms of a printed name: as printed, without spaces, before a dash or prefix."""
    base = _norm(name)
    found = {base} if base else set()
    for dash in (" – ", " - ", " — "):
        if dash in name:
            head = _norm(name.split(dash)[0])
            if head:
                found.add(head)
    if " " in base and len(base) >= 6:
        found.add(base.replace(" ", ""))
    if strip_prefixes:
        for prefix in _PREFIXES:
            if base.startswith(prefix) and len(base) > len(prefix) + 2:
                found.add(base[len(prefix) :])
    return found


def _is_organisation(contact: Contact) -> bool:
    raw = contact.name.split()
    parts = _norm(contact.name).split()
    return (
        len(raw) > 4
        or any("." in w or "@" in w for w in raw)
        or any(p in vocabulary.ORGANISATION_WORDS for p in parts)
        or any(p in STOPWORDS and p not in vocabulary.NAME_PARTICLES for p in parts)
    )


def _richness(contact: Contact) -> int:
    return sum(v is not None for v in vars(contact).values())


class NameIndex:
    """All names of one knowledge base, ready for fuzzy lookup."""

    def __init__(self, knowledge: Knowledge, corpus: list[str] | None = None) -> None:
        """`corpus`: the indexed text per document, to find rare words for partial matches."""
        self.knowledge = knowledge
        self.entries: list[NameEntry] = []
        seen: set[tuple[str, str, str]] = set()

        def add(text: str, display: str, kind: NameKind, target: str, factor: float = 1.0) -> None:
            if text and (text, kind, target) not in seen and text not in STOPWORDS:
                seen.add((text, kind, target))
                self.entries.append(NameEntry(text, display, kind, target, factor))

        for doc in knowledge.documents:
            # Exact forms first, so that a match shows the name it equals ("IVOD"), not the
            # longer title it was derived from ("IVOD – Intelligente Verkehrsdaten").
            for name in doc.names:
                add(_norm(name), name, doc.kind, doc.id)
            for name in doc.names:
                for variant in _variants(name):
                    add(variant, name, doc.kind, doc.id)
        for region in knowledge.regions:
            names = [region.name, region.short_name, *region.aliases]
            places = [region.lead_municipality, *region.partners]
            for name in names + places:
                for variant in _variants(name, strip_prefixes=name in places):
                    add(variant, name, "region", region.id)
            # A district government only by its full name: "Köln" alone is not "Bezirksregierung
            # Köln" (and not a model region).
            government = _norm(region.district_government)
            add(government, region.district_government, "region", region.id)
            city = government.removeprefix("bezirksregierung ")
            if city != government:
                add(f"regierungsbezirk {city}", region.district_government, "region", region.id)

        for actor in knowledge.actors:  # "KDN", "CIO des Landes", "Stadt.Land.Digital"
            for name in (actor.name, actor.short_name, *actor.aliases):
                for variant in _variants(name):
                    add(variant, name, "actor", actor.id)

        self.people = self._group_people(knowledge)
        for key, person in self.people.items():
            name = person.contact.name
            full = _norm(name)
            add(full, name, "person", key)
            parts = full.split()
            if len(parts) > 1 and not _is_organisation(person.contact):
                tail = " ".join(parts[1:])  # "vom sondern", "boschin heinz"
                if len(tail.replace(" ", "")) >= 4:
                    add(tail, name, "person", key, SURNAME_FACTOR)
                if len(parts[-1]) >= 4 and parts[-1] not in STOPWORDS:
                    add(parts[-1], name, "person", key, SURNAME_FACTOR)

        known_places = {e.text for e in self.entries if e.kind == "region"}
        for place in gazetteer():
            plain = unicodedata.normalize("NFKD", place).encode("ascii", "ignore").decode()
            for variant in _variants(place, strip_prefixes=True) | _variants(plain):
                if variant not in known_places:
                    add(variant, place, "place", place)

        self._texts = [e.text for e in self.entries]
        # Places match exactly: a typo-tolerant "Minden" would also match "mindern".
        self._budget = [
            0 if e.kind == "place" else edit_budget(e.text, e.single_word) for e in self.entries
        ]
        # Short words of a name (≤ 3 letters, not stop words: "ID", "App", "7") carry much of
        # its meaning; a fuzzy match must not get by without them.
        self._short_words = [
            tuple(w for w in _norm(e.display).split() if len(w) <= 3 and w not in STOPWORDS)
            for e in self.entries
        ]
        self._max_words = min(MAX_WINDOW, max((t.count(" ") + 1 for t in self._texts), default=1))
        self._partial_words = self._rare_name_words(corpus)
        self._partial_vocab = list(self._partial_words)
        # Lookups that keep a query from looping in Python over every name: the entries of
        # each target (partial matches), and the names of each requested set of kinds.
        self._of_target: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(self.entries):
            self._of_target[entry.target].append(i)
        self._of_kinds: dict[tuple[tuple[NameKind, ...] | None, str], tuple[list[str], list[int]]]
        self._of_kinds = {}

    def _names_of(
        self, kinds: tuple[NameKind, ...] | None, letter: str
    ) -> tuple[list[str], list[int]]:
        """The folded names of these kinds (None: all) that begin with `letter`, and their
        entry indices; cached. Every match begins with the window's first letter (an exact
        one trivially, a fuzzy one by the first-letter rule of `match`), so a window is only
        compared with the names of its letter."""
        found = self._of_kinds.get((kinds, letter))
        if found is None:
            index = [
                i
                for i, e in enumerate(self.entries)
                if e.text[:1] == letter and (kinds is None or e.kind in kinds)
            ]
            found = self._of_kinds[(kinds, letter)] = ([self._texts[i] for i in index], index)
        return found

    def _candidates(
        self, windows: list[str], kinds: tuple[NameKind, ...] | None
    ) -> list[tuple[int, int, int]]:
        """(window, entry, Indel distance ≤ 3) pairs, in window-then-entry order."""
        by_letter: dict[str, list[int]] = defaultdict(list)
        for w, window in enumerate(windows):
            by_letter[window[:1]].append(w)
        found = []
        for letter, group in by_letter.items():
            texts, index = self._names_of(kinds, letter)
            if not texts:
                continue
            distances = process.cdist(
                [windows[w] for w in group], texts, scorer=Indel.distance, score_cutoff=3
            )
            rows, cols = (distances <= 3).nonzero()
            found += [
                (group[r], index[c], int(distances[r, c]))
                for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
            ]
        return sorted(found)

    def _rare_name_words(self, corpus: list[str] | None) -> dict[str, set[str]]:
        """Words of project/topic names that occur in few documents, with those documents."""
        targets: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            if entry.kind in ("project", "topic"):
                for word in entry.text.split():
                    if len(word) >= PARTIAL_MIN_LEN and word not in STOPWORDS:
                        targets[word].add(entry.target)
        df: Counter[str] = Counter()
        for text in corpus or []:
            df.update(set(words(text)))
        return {
            w: t
            for w, t in targets.items()
            if len(t) <= PARTIAL_MAX_DOCS and df.get(w, 0) <= PARTIAL_MAX_DOCS
        }

    @staticmethod
    def _group_people(knowledge: Knowledge) -> dict[str, _Person]:
        """One entry per person: contacts sharing an e-mail address or a name are merged."""
        parent: dict[int, int] = {}

        def find(i: int) -> int:
            while parent.setdefault(i, i) != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owned = knowledge.contacts()
        first_by_key: dict[str, int] = {}
        for i, (contact, _) in enumerate(owned):
            find(i)
            keys = [f"name:{_norm(contact.name)}"]
            if contact.email:
                keys.append(f"mail:{contact.email.lower()}")
            for key in keys:
                if key in first_by_key:
                    parent[find(i)] = find(first_by_key[key])
                else:
                    first_by_key[key] = i

        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(owned)):
            groups[find(i)].append(i)
        people: dict[str, _Person] = {}
        for members in groups.values():
            best = max(members, key=lambda i: (_richness(owned[i][0]), -i))
            person = _Person(owned[best][0])
            for i in members:
                if owned[i][1] not in person.owners:
                    person.owners.append(owned[i][1])
            people[f"person-{members[0]}"] = person
        return people

    def _windows(self, text: str) -> list[str]:
        tokens = words(text)
        found: dict[str, None] = {}
        for size in range(1, min(self._max_words + 1, len(tokens)) + 1):
            for start in range(len(tokens) - size + 1):
                window = tokens[start : start + size]
                if all(t in STOPWORDS for t in window):
                    continue
                found[" ".join(window)] = None
                if size > 1:
                    found["".join(window)] = None  # "dorf app" → "dorfapp"
        return list(found)

    def match(self, text: str, kinds: tuple[NameKind, ...] | None = None) -> list[NameMatch]:
        """Best match per (kind, target), best first; partial matches only for documents."""
        windows = self._windows(text)
        if not windows or not self.entries:
            return []
        best: dict[tuple[str, str], NameMatch] = {}

        def offer(m: NameMatch) -> None:
            key = (m.entry.kind, m.entry.target)
            old = best.get(key)
            spans = tuple(dict.fromkeys((*(old.spans if old else ()), m.span)))
            if old is None or (m.score, len(m.entry.text)) > (old.score, len(old.entry.text)):
                best[key] = replace(m, spans=spans)
            else:
                best[key] = replace(old, spans=spans)

        for w, e, distance in self._candidates(windows, None if kinds is None else tuple(kinds)):
            entry = self.entries[e]
            if distance > self._budget[e] or (distance and windows[w][0] != entry.text[0]):
                continue  # too far, or a typo in the first letter (rare; usually another word)
            if distance and not all(s in windows[w] for s in self._short_words[e]):
                continue  # the edits dropped a short distinctive word ("Bürger" ≠ "Bürger-ID")
            if kinds is None or entry.kind in kinds:
                similarity = 1 - distance / (len(windows[w]) + len(entry.text))
                offer(NameMatch(entry, similarity * entry.factor, windows[w]))

        if kinds is None or "project" in kinds or "topic" in kinds:
            for m in self._partial(text):
                if kinds is None or m.entry.kind in kinds:
                    offer(m)
        return sorted(best.values(), key=lambda m: (-m.score, -len(m.entry.text)))

    def _partial(self, text: str) -> list[NameMatch]:
        found = []
        for word in dict.fromkeys(words(text)):
            if len(word) < PARTIAL_MIN_LEN or word in STOPWORDS:
                continue
            for name_word, ratio, _ in process.extract(
                word, self._partial_vocab, scorer=fuzz.ratio, score_cutoff=85.0, limit=3
            ):
                if Indel.distance(word, name_word) > edit_budget(name_word) or (
                    ratio < 100 and name_word[0] != word[0]
                ):
                    continue
                targets = self._partial_words[name_word]
                for i in sorted(i for t in targets for i in self._of_target.get(t, ())):
                    entry = self.entries[i]
                    if name_word in entry.text.split():
                        coverage = len(name_word) / len(entry.text.replace(" ", ""))
                        score = (0.5 + 0.4 * coverage) * ratio / 100
                        found.append(NameMatch(entry, score, word, partial=True))
        return found

    def region(self, text: str) -> tuple[str, NameMatch] | None:
        matches = self.match(text, kinds=("region",))
        return (matches[0].target, matches[0]) if matches else None

    def other_place(self, text: str) -> str | None:
        """A place named in `text` that is not part of any model region ("Köln", "Munich")."""
        matches = self.match(text, kinds=("place",))
        return matches[0].target if matches else None

    def person_hits(self, text: str, limit: int = 3) -> list[PersonHit]:
        hits = []
        for m in self.match(text, kinds=("person",))[:limit]:
            person = self.people[m.target]
            hits.append(PersonHit(person.contact, tuple(person.owners), round(m.score, 4)))
        return hits


def name_index(knowledge: Knowledge) -> NameIndex:
    """The name index of a knowledge base, with the search index's text of every document as
    the corpus that decides which words of a name are rare (`Retriever`, the NLU)."""
    from index.passages import lexical

    return NameIndex(knowledge, corpus=[lexical(d, knowledge) for d in knowledge.documents])
